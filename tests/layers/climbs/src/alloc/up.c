/*
 * up.c: a fixture for the layer check: an include that climbs by "../".
 */
#include "../store/store_impl.h"
#include "engine.h"
