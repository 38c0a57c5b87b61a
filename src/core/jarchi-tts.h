/* Text to speech with espeak-ng for broadcast messages, in Uzbek, Russian and English. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest text one synthesis accepts, in characters. */
#define JARCHI_TTS_MAX_CHARS 5000

/* "uz", "ru", "en", NULL-terminated. */
const char * const *jarchi_tts_get_languages         (void);
gboolean            jarchi_tts_is_language_supported (const char  *lang);
/* Whether @text and @lang could be spoken: JARCHI_ERROR_INVALID_ARGUMENT for an unknown
 * language, text that is not UTF-8, only white space, or longer than JARCHI_TTS_MAX_CHARS. */
gboolean            jarchi_tts_check                 (const char  *text,
                                                      const char  *lang,
                                                      GError     **error);

/* Speaks @text (UTF-8, plain text: no SSML, no phoneme input) in @lang to mono S16LE samples
 * at *@rate Hz (espeak-ng's own rate, 22050). Safe from any thread: espeak-ng is one
 * process-wide, non-reentrant engine, so every call is serialised behind one lock. Input
 * jarchi_tts_check() refuses fails the same way. */
GBytes             *jarchi_tts_synthesize            (const char  *text,
                                                      const char  *lang,
                                                      guint       *rate,
                                                      GError     **error);

/* The same, written to @path as a WAV file. */
gboolean            jarchi_tts_synthesize_to_wav     (const char  *text,
                                                      const char  *lang,
                                                      const char  *path,
                                                      GError     **error);

G_END_DECLS
