/*
 * climbs.c: a fixture for the layer check (tests/layers): a domain file that
 * reaches for the store. cmake/check_layers.cmake must refuse it.
 */
#include "khum/geo.h"
#include "khum/store.h"
