# cmake/layers.cmake: the layers of khum, one table read by the build
# (CMakeLists.txt makes one static library per module and gives it the include
# folder of only what it may see) and by the include check
# (cmake/check_layers.cmake). Change the layering here and nowhere else.
#
#   core  <-  domain (geo alloc count council synth auth rla)  <-  store  <-  app
#         <-  publish  <-  server  <-  cli
#
# A module may include the headers of the modules it depends on below, and
# (transitively) what they depend on. Domain modules depend on core and on the
# few domain modules named; they link nothing but core.

set(KHUM_LAYERS core domain store app publish server cli)
set(KHUM_LAYER_core core)
set(KHUM_LAYER_domain geo alloc count council synth auth rla)
set(KHUM_LAYER_store store)
set(KHUM_LAYER_app app)
set(KHUM_LAYER_publish publish)
set(KHUM_LAYER_server server)
set(KHUM_LAYER_cli cli)

# Direct dependencies of each module (the closure is what it may include).
set(KHUM_DEPS_core "")
set(KHUM_DEPS_geo core)
set(KHUM_DEPS_alloc core)
set(KHUM_DEPS_auth core)
set(KHUM_DEPS_count core geo alloc)
set(KHUM_DEPS_council core alloc)
set(KHUM_DEPS_synth core alloc count council)
set(KHUM_DEPS_rla core alloc)
set(KHUM_DEPS_store core geo alloc count council rla)
set(KHUM_DEPS_app store auth synth rla)
set(KHUM_DEPS_publish app)
set(KHUM_DEPS_server publish)
set(KHUM_DEPS_cli server)

# The headers each module offers the modules above it, as they are named in
# an #include. khum/NAME.h lives in include/khum/; any other name is a header
# of src/ that a module lets the layers above it use.
set(KHUM_HEADERS_core khum/arena.h khum/array.h khum/audit.h khum/csv.h khum/err.h khum/hash.h
                      khum/json.h khum/str.h)
set(KHUM_HEADERS_geo khum/geo.h)
set(KHUM_HEADERS_alloc khum/alloc.h)
set(KHUM_HEADERS_auth khum/auth.h)
set(KHUM_HEADERS_count khum/count.h)
set(KHUM_HEADERS_council khum/council.h)
set(KHUM_HEADERS_synth khum/synth.h)
set(KHUM_HEADERS_rla khum/rla.h khum/rla_draw.h)
set(KHUM_HEADERS_store khum/store.h khum/store_rla.h)
set(KHUM_HEADERS_app khum/app.h khum/app_import.h khum/app_rla.h)
set(KHUM_HEADERS_publish khum/publish.h khum/print.h publish/tally_view.h publish/tally_files.h
                         publish/alloc_print.h publish/rla_pull.h publish/rla_view.h
                         publish/ledger_export.h publish/results_export.h)
set(KHUM_HEADERS_server khum/server.h)
set(KHUM_HEADERS_cli "")

# All modules, lowest first.
set(KHUM_MODULES "")
foreach(layer ${KHUM_LAYERS})
  list(APPEND KHUM_MODULES ${KHUM_LAYER_${layer}})
endforeach()

# KHUM_LAYER_OF_<module>: the layer a module belongs to.
foreach(layer ${KHUM_LAYERS})
  foreach(m ${KHUM_LAYER_${layer}})
    set(KHUM_LAYER_OF_${m} ${layer})
  endforeach()
endforeach()

# KHUM_SEES_<module>: the module and every module it may include from.
foreach(m ${KHUM_MODULES})
  set(seen ${m})
  set(todo ${KHUM_DEPS_${m}})
  while(todo)
    list(POP_FRONT todo d)
    if(NOT d IN_LIST seen)
      list(APPEND seen ${d})
      list(APPEND todo ${KHUM_DEPS_${d}})
    endif()
  endwhile()
  set(KHUM_SEES_${m} ${seen})
endforeach()

# KHUM_OWNER_<header>: the module that offers a header.
foreach(m ${KHUM_MODULES})
  foreach(h ${KHUM_HEADERS_${m}})
    string(MAKE_C_IDENTIFIER "${h}" id)
    set(KHUM_OWNER_${id} ${m})
  endforeach()
endforeach()

# The file in the source tree behind a header name.
function(khum_header_path name out)
  if(name MATCHES "^khum/")
    set(${out} "include/${name}" PARENT_SCOPE)
  else()
    set(${out} "src/${name}" PARENT_SCOPE)
  endif()
endfunction()
