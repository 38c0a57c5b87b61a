/* Jarchi: the microphone and speaker elements of a call: environment, Preferences, else what the machine has. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <gst/gst.h>

#include "jarchi-audio-devices.h"
#include "jarchi-error.h"

static gboolean
monitor_finds (const char *klass)
{
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new ();
  GList *devices;
  gboolean found;

  gst_device_monitor_add_filter (monitor, klass, NULL);
  if (!gst_device_monitor_start (monitor))
    return FALSE;
  devices = gst_device_monitor_get_devices (monitor);
  gst_device_monitor_stop (monitor);
  found = devices != NULL;
  g_list_free_full (devices, gst_object_unref);
  return found;
}

/* On a machine with no sound card (a server running --headless, a container) autoaudiosrc and
 * autoaudiosink end up on elements that push buffers without caps, and GStreamer's level element
 * then fails assertions on every call. Silence in and a discarding sink out are what such a
 * machine can honestly offer. Probed once: starting a device monitor costs tens of ms. */
const char *
jarchi_audio_devices_default_description (gboolean input)
{
  static gsize probed = 0;
  static gboolean have_source, have_sink;

  if (g_once_init_enter (&probed))
    {
      have_source = monitor_finds ("Audio/Source");
      have_sink = monitor_finds ("Audio/Sink");
      if (!have_source || !have_sink)
        g_message ("no %s found: calls use %s", !have_source ? "microphone" : "speaker",
                   !have_source ? "silence as the microphone" : "no speaker");
      g_once_init_leave (&probed, 1);
    }
  /* The microphone's buffers pace the live mixer, and so the RTP: audiotestsrc's default of
   * 1024 samples (128 ms at 8 kHz) sent packets in bursts; 160 samples are 20 ms at most. */
  if (input)
    return have_source ? "autoaudiosrc" : "audiotestsrc wave=silence is-live=true samplesperbuffer=160";
  return have_sink ? "autoaudiosink" : "fakesink sync=true";
}

/* Chosen in Preferences; [0] the microphone, [1] the speaker. */
static GMutex chosen_lock;
static GstDevice *chosen_devices[2];

void
jarchi_audio_devices_set_chosen (GstDevice *input, GstDevice *output)
{
  g_return_if_fail (input == NULL || GST_IS_DEVICE (input));
  g_return_if_fail (output == NULL || GST_IS_DEVICE (output));
  g_mutex_lock (&chosen_lock);
  g_set_object (&chosen_devices[0], input);
  g_set_object (&chosen_devices[1], output);
  g_mutex_unlock (&chosen_lock);
}

GstElement *
jarchi_audio_devices_make (gboolean input, GError **error)
{
  const char *desc = g_getenv (input ? "JARCHI_AUDIOSRC" : "JARCHI_AUDIOSINK");
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GstDevice) device = NULL;
  GstElement *bin;

  g_mutex_lock (&chosen_lock);
  device = chosen_devices[input ? 0 : 1];
  device = device ? g_object_ref (device) : NULL;
  g_mutex_unlock (&chosen_lock);
  /* The environment wins over Preferences: tests and headless set-ups rely on it. */
  if ((desc == NULL || *desc == '\0') && device != NULL
      && (bin = gst_device_create_element (device, NULL)) != NULL)
    return bin;
  /* Probed only here: the environment or a chosen device spares the probe. */
  if (desc == NULL || *desc == '\0')
    desc = jarchi_audio_devices_default_description (input);
  bin = gst_parse_bin_from_description_full (desc, TRUE, NULL, GST_PARSE_FLAG_FATAL_ERRORS,
                                             &parse_error);
  if (bin == NULL)
    g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_MEDIA, "Cannot open audio device “%s”: %s",
                 desc, parse_error->message);
  return bin;
}
