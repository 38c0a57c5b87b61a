/* Jarchi: which audio elements a call uses when neither Preferences nor the environment chose one. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <gst/gst.h>

#include "jarchi-audio-devices.h"

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
  if (input)
    return have_source ? "autoaudiosrc" : "audiotestsrc wave=silence is-live=true";
  return have_sink ? "autoaudiosink" : "fakesink sync=true";
}
