/* JarchiDtmfDetector: in-band DTMF keys found in 8 kHz linear or G.711 audio by Goertzel filters, for campaign calls that have no media pipeline. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "jarchi-audio-decoder.h"

G_BEGIN_DECLS

typedef struct _JarchiDtmfDetector JarchiDtmfDetector;

/* Called once per key press, once the tone has filled two 20 ms blocks; DIGIT is one of
 * "0123456789*#ABCD". A press ends with 60 ms without the tone, so a short dropout inside one
 * tone does not make two presses. */
typedef void (*JarchiDtmfDetectorFunc) (char digit, gpointer user_data);

JarchiDtmfDetector *jarchi_dtmf_detector_new       (JarchiDtmfDetectorFunc  func,
                                                    gpointer                user_data);
void                jarchi_dtmf_detector_free      (JarchiDtmfDetector     *self);
/* SAMPLES at 8 kHz, mono; any count, blocks may be split anywhere. */
void                jarchi_dtmf_detector_feed      (JarchiDtmfDetector     *self,
                                                    const gint16           *samples,
                                                    gsize                   n);
void                jarchi_dtmf_detector_feed_g711 (JarchiDtmfDetector     *self,
                                                    JarchiG711Law           law,
                                                    const guint8           *bytes,
                                                    gsize                   n);
/* One G.711 code as 16-bit linear PCM. */
gint16              jarchi_g711_decode             (JarchiG711Law           law,
                                                    guint8                  byte);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JarchiDtmfDetector, jarchi_dtmf_detector_free)

G_END_DECLS
