-- entries.lua (wrk): POST first entries of distinct stations. Each wrk
-- thread takes every Nth line of bodies.txt ("station<TAB>json"), so no two
-- requests key the same station. Arguments: bodies.txt N token election
-- [token2]. With a second token (bench/night) request k keys station k/2
-- with each token in turn: two clerks' entries agree and the form is
-- accepted, so the results move.
local threads = {}
local counter = 0

function setup(thread)
    counter = counter + 1
    thread:set("tid", counter)
    table.insert(threads, thread)
end

function init(args)
    stations, bodies = {}, {}
    local n, i = tonumber(args[2]), 0
    for line in io.lines(args[1]) do
        if i % n == tid - 1 then
            local st, body = line:match("^([^\t]+)\t(.*)$")
            table.insert(stations, st)
            table.insert(bodies, body)
        end
        i = i + 1
    end
    next_k = 0
    args_election = args[4]
    tokens = {"Bearer " .. args[3]}
    if args[5] then tokens[2] = "Bearer " .. args[5] end
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
end

function request()
    local k = next_k
    next_k = next_k + 1
    local s = math.floor(k / #tokens) + 1
    if s > #stations then s = #stations end
    wrk.headers["Authorization"] = tokens[k % #tokens + 1]
    return wrk.format(nil, "/api/v1/elections/" .. args_election .. "/forms/" .. stations[s] ..
                      "/entries", nil, bodies[s])
end

function response(status, headers, body)
    if status == 201 then created = (created or 0) + 1 end
end

function done(summary, latency, requests)
    local total = 0
    for _, t in ipairs(threads) do total = total + (t:get("created") or 0) end
    io.write(string.format("created %d\n", total))
end
