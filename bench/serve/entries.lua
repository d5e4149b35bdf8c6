-- entries.lua (wrk): POST first entries of distinct stations. Each wrk
-- thread takes every Nth line of bodies.txt ("station<TAB>json"), so no two
-- requests key the same station.
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
    next_i = 1
    args_election = args[4]
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Authorization"] = "Bearer " .. args[3]
end

function request()
    local k = next_i
    next_i = next_i + 1
    if k > #stations then k = #stations end
    return wrk.format(nil, "/api/v1/elections/" .. args_election .. "/forms/" .. stations[k] ..
                      "/entries", nil, bodies[k])
end

function response(status, headers, body)
    if status == 201 then created = (created or 0) + 1 end
end

function done(summary, latency, requests)
    local total = 0
    for _, t in ipairs(threads) do total = total + (t:get("created") or 0) end
    io.write(string.format("created %d\n", total))
end
