/* The dashboard's /api/media routes: upload, speak, list, fetch, play and delete broadcast messages. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "jarchi-media-library.h"
#include "jarchi-web-server.h"

G_BEGIN_DECLS

/* Request bodies larger than the library's max-upload-size by more than this are refused
 * outright (multipart framing and the "name" field fit in it). */
#define JARCHI_MEDIA_API_FORM_OVERHEAD ((goffset) 64 * 1024)
#define JARCHI_MEDIA_API_TTS_BODY_MAX  ((goffset) 256 * 1024)

/* Registers /api/media on @server, which keeps @library alive from now on and follows changes
 * of its max-upload-size. Uploads and speech run on worker threads; the request waits. */
void jarchi_media_api_register (JarchiWebServer    *server,
                                JarchiMediaLibrary *library);

G_END_DECLS
