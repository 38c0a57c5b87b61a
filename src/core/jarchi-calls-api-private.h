/* JarchiCallsApi internals shared by its implementation files. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-calls-api.h"

G_BEGIN_DECLS

/* The request's "play": a @library media id (NULL library: ids are refused) or the path of a
 * file in a folder below @data_dir. TRUE with *@path_out NULL when there is none; FALSE with a
 * 400 already sent when it is not usable. */
gboolean jarchi_calls_api_play_request (const char         *data_dir,
                                        JarchiMediaLibrary *library,
                                        SoupServerMessage  *msg,
                                        JsonObject         *obj,
                                        char              **path_out);

G_END_DECLS
