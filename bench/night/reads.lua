-- reads.lua (wrk): the public refreshing results, the national table and
-- one province's, in turn.
local paths = {}
local k = 0

function init(args)
    paths = {"/api/v1/elections/" .. args[1] .. "/results",
             "/api/v1/elections/" .. args[1] .. "/results/" .. args[2]}
end

function request()
    k = k + 1
    return wrk.format("GET", paths[k % 2 + 1])
end
