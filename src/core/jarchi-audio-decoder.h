/* Decodes any audio file GStreamer reads to 8 kHz mono PCM once, and encodes that PCM to G.711 frames. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one PCM format media is kept in for calls: signed 16-bit little-endian, mono. */
#define JARCHI_AUDIO_RATE          8000
#define JARCHI_AUDIO_FRAME_MS      20
#define JARCHI_AUDIO_FRAME_SAMPLES (JARCHI_AUDIO_RATE * JARCHI_AUDIO_FRAME_MS / 1000)
/* A decode or encode that takes longer than this fails rather than hang a worker. */
#define JARCHI_AUDIO_TIMEOUT_S     60

typedef enum {
  JARCHI_G711_ULAW,   /* PCMU, payload type 0 */
  JARCHI_G711_ALAW,   /* PCMA, payload type 8 */
} JarchiG711Law;

gboolean jarchi_audio_init          (GError       **error);

/* Decodes @path (wav, mp3, ogg/vorbis, opus, flac, anything GStreamer can decode) to 8 kHz mono
 * S16LE. A file that is not audio, is corrupt or empty fails with JARCHI_ERROR_MEDIA; one longer
 * than @max_duration_ms (0: no limit) fails with JARCHI_ERROR_INVALID_ARGUMENT as soon as the
 * limit is passed. Blocks the calling thread, at most JARCHI_AUDIO_TIMEOUT_S. */
GBytes  *jarchi_audio_decode_file   (const char    *path,
                                     guint          max_duration_ms,
                                     guint         *duration_ms,
                                     GError       **error);

/* Writes mono S16LE @pcm as a canonical 44-byte-header WAV file (atomically, mode 0600). */
gboolean jarchi_audio_write_wav     (const char    *path,
                                     GBytes        *pcm,
                                     guint          rate,
                                     GError       **error);

/* Encodes 8 kHz mono S16LE @pcm to G.711 with GStreamer's mulawenc/alawenc. The result holds
 * whole 20 ms frames of JARCHI_AUDIO_FRAME_SAMPLES bytes each, frame i at offset i * 160; the
 * last frame is padded with encoded silence. */
GBytes  *jarchi_audio_encode_g711   (GBytes        *pcm,
                                     JarchiG711Law  law,
                                     GError       **error);

G_END_DECLS
