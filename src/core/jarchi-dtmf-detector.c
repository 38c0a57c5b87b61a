/* JarchiDtmfDetector: in-band DTMF keys found in 8 kHz linear or G.711 audio by Goertzel filters, for campaign calls that have no media pipeline. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-dtmf-detector.h"

#include <math.h>
#include <string.h>

/* 20 ms: one G.711 packet. Neighbouring DTMF frequencies are 1.5 bins apart at this length,
 * so a key's energy stays in its own filter. */
#define BLOCK          160
#define RATE           8000.0
/* Quieter than -40 dBFS (RMS) is not a key press, whatever its spectrum. */
#define MIN_MEAN_SQUARE (328.0 * 328.0)
/* A key is two tones and little else: their share of the block's energy. */
#define MIN_TONE_SHARE 0.7
/* Twist: the two tones may differ by up to 8 dB either way. */
#define MAX_TWIST      6.3
/* The runner-up row (or column) must be this much weaker than the winner. */
#define MIN_SEPARATION 4.0
#define HITS_TO_REPORT 2
#define MISSES_TO_END  3

static const double row_hz[4] = { 697, 770, 852, 941 };
static const double col_hz[4] = { 1209, 1336, 1477, 1633 };
static const char keys[4][4] = {
  { '1', '2', '3', 'A' },
  { '4', '5', '6', 'B' },
  { '7', '8', '9', 'C' },
  { '*', '0', '#', 'D' },
};

struct _JarchiDtmfDetector {
  JarchiDtmfDetectorFunc func;
  gpointer               user_data;
  double                 coef[8];
  gint16                 block[BLOCK];
  guint                  fill;
  char                   candidate;
  guint                  hits;
  guint                  misses;
  char                   pressed;   /* reported and not yet released */
};

JarchiDtmfDetector *
jarchi_dtmf_detector_new (JarchiDtmfDetectorFunc func,
                          gpointer               user_data)
{
  JarchiDtmfDetector *self = g_new0 (JarchiDtmfDetector, 1);

  g_return_val_if_fail (func != NULL, NULL);

  self->func = func;
  self->user_data = user_data;
  for (guint i = 0; i < 4; i++)
    {
      self->coef[i] = 2.0 * cos (2.0 * G_PI * row_hz[i] / RATE);
      self->coef[4 + i] = 2.0 * cos (2.0 * G_PI * col_hz[i] / RATE);
    }
  return self;
}

void
jarchi_dtmf_detector_free (JarchiDtmfDetector *self)
{
  g_free (self);
}

/* Index of the strongest of four shares, or -1 when it does not stand out. */
static int
strongest (const double share[4])
{
  int best = 0;
  double second = 0;

  for (int i = 1; i < 4; i++)
    if (share[i] > share[best])
      best = i;
  for (int i = 0; i < 4; i++)
    if (i != best)
      second = MAX (second, share[i]);
  return share[best] >= second * MIN_SEPARATION ? best : -1;
}

static char
classify (JarchiDtmfDetector *self)
{
  double energy = 0, share[8];
  int row, col;

  for (guint i = 0; i < BLOCK; i++)
    energy += (double) self->block[i] * self->block[i];
  if (energy < MIN_MEAN_SQUARE * BLOCK)
    return 0;
  for (guint f = 0; f < 8; f++)
    {
      double s1 = 0, s2 = 0;

      for (guint i = 0; i < BLOCK; i++)
        {
          double s0 = self->block[i] + self->coef[f] * s1 - s2;

          s2 = s1;
          s1 = s0;
        }
      /* A sine's power over the block, as a fraction of the block's energy: 1 for a pure
       * tone at this frequency. */
      share[f] = 2.0 * (s1 * s1 + s2 * s2 - self->coef[f] * s1 * s2) / (BLOCK * energy);
    }
  row = strongest (share);
  col = strongest (share + 4);
  if (row < 0 || col < 0 || share[row] + share[4 + col] < MIN_TONE_SHARE ||
      share[row] > share[4 + col] * MAX_TWIST || share[4 + col] > share[row] * MAX_TWIST)
    return 0;
  return keys[row][col];
}

static void
block_done (JarchiDtmfDetector *self)
{
  char key = classify (self);

  if (key == 0)
    {
      self->hits = 0;
      self->candidate = 0;
      if (++self->misses >= MISSES_TO_END)
        self->pressed = 0;
      return;
    }
  self->misses = 0;
  if (key != self->candidate)
    {
      self->candidate = key;
      self->hits = 0;
    }
  if (++self->hits >= HITS_TO_REPORT && key != self->pressed)
    {
      self->pressed = key;
      self->func (key, self->user_data);
    }
}

void
jarchi_dtmf_detector_feed (JarchiDtmfDetector *self,
                           const gint16       *samples,
                           gsize               n)
{
  g_return_if_fail (self != NULL);

  while (n > 0)
    {
      gsize take = MIN (n, (gsize) (BLOCK - self->fill));

      memcpy (self->block + self->fill, samples, take * sizeof *samples);
      self->fill += take;
      samples += take;
      n -= take;
      if (self->fill == BLOCK)
        {
          self->fill = 0;
          block_done (self);
        }
    }
}

void
jarchi_dtmf_detector_feed_g711 (JarchiDtmfDetector *self,
                                JarchiG711Law       law,
                                const guint8       *bytes,
                                gsize               n)
{
  gint16 pcm[BLOCK];

  g_return_if_fail (self != NULL);

  while (n > 0)
    {
      gsize take = MIN (n, G_N_ELEMENTS (pcm));

      for (gsize i = 0; i < take; i++)
        pcm[i] = jarchi_g711_decode (law, bytes[i]);
      jarchi_dtmf_detector_feed (self, pcm, take);
      bytes += take;
      n -= take;
    }
}

/* ITU-T G.711's expansion: a sign bit, a 3-bit segment and a 4-bit step within it. */
gint16
jarchi_g711_decode (JarchiG711Law law,
                    guint8        byte)
{
  int t, segment;

  if (law == JARCHI_G711_ULAW)
    {
      byte = ~byte;
      t = (((byte & 0x0f) << 3) + 0x84) << ((byte & 0x70) >> 4);
      return (gint16) ((byte & 0x80) ? 0x84 - t : t - 0x84);
    }
  byte ^= 0x55;
  t = (byte & 0x0f) << 4;
  segment = (byte & 0x70) >> 4;
  if (segment == 0)
    t += 8;
  else
    t = (t + 0x108) << (segment - 1);
  return (gint16) ((byte & 0x80) ? t : -t);
}
