/* SDP offer/answer for the SIP engine (libre thread only): our codec list and what was agreed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include "jarchi-sip-engine-private.h"

/* Static payload types may come without an rtpmap line. */
static const char *
static_codec_name (int pt)
{
  switch (pt)
    {
    case 0: return "PCMU";
    case 8: return "PCMA";
    case 9: return "G722";
    default: return NULL;
    }
}

/* The names the media session understands. */
static const char *
canonical_codec (const char *name)
{
  static const char * const known[] = { "PCMU", "PCMA", "G722", "opus" };

  if (name == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_ascii_strcasecmp (name, known[i]) == 0)
      return known[i];
  return NULL;
}

int
jarchi_sip_sdp_new (struct sdp_session **sessp,
                    struct sdp_media   **mediap,
                    const char          *address,
                    uint16_t             port)
{
  struct sdp_session *sess = NULL;
  struct sdp_media *m = NULL;
  struct sa laddr;
  int err;

  err = sa_set_str (&laddr, address, 0);
  if (err)
    return err;
  err = sdp_session_alloc (&sess, &laddr);
  if (err)
    return err;
  err = sdp_media_add (&m, sess, sdp_media_audio, port, sdp_proto_rtpavp);
  if (err)
    goto out;

  /* Preference order of our offer; G.722's RTP clock is 8000 by RFC 3551's historic error. */
  err |= sdp_format_add (NULL, m, false, "0", "PCMU", 8000, 1, NULL, NULL, NULL, false, NULL);
  err |= sdp_format_add (NULL, m, false, "8", "PCMA", 8000, 1, NULL, NULL, NULL, false, NULL);
  err |= sdp_format_add (NULL, m, false, "9", "G722", 8000, 1, NULL, NULL, NULL, false, NULL);
  err |= sdp_format_add (NULL, m, false, "111", "opus", 48000, 2, NULL, NULL, NULL, false,
                         "useinbandfec=1");
  err |= sdp_format_add (NULL, m, false, "101", "telephone-event", 8000, 1, NULL, NULL, NULL,
                         false, "0-15");
  err |= sdp_media_set_lattr (m, true, "ptime", "%u", 20);

out:
  if (err)
    {
      mem_deref (sess);
      return err;
    }
  *sessp = sess;
  *mediap = m;
  return 0;
}

gboolean
jarchi_sip_sdp_result (struct sdp_media *m,
                       JarchiSipMedia   *out)
{
  const struct sdp_format *audio = NULL;
  const struct sdp_format *event;
  const struct sa *raddr;
  struct le *le;
  enum sdp_dir rdir;
  char host[64];

  memset (out, 0, sizeof *out);
  if (m == NULL || sdp_media_rport (m) == 0)
    return FALSE;

  /* The first common format the peer listed that is a codec, not telephone-event. */
  for (le = list_head (sdp_media_format_lst (m, false)); le; le = le->next)
    {
      const struct sdp_format *fmt = le->data;
      const char *name = fmt->name ? fmt->name : static_codec_name (fmt->pt);

      if (!fmt->sup || canonical_codec (name) == NULL)
        continue;
      audio = fmt;
      break;
    }
  if (audio == NULL)
    return FALSE;

  raddr = sdp_media_raddr (m);
  if (re_snprintf (host, sizeof host, "%j", raddr) < 0)
    return FALSE;
  event = sdp_media_rformat (m, "telephone-event");
  rdir = sdp_media_rdir (m);

  out->host = g_strdup (host);
  out->port = sa_port (raddr);
  out->codec = g_strdup (canonical_codec (audio->name ? audio->name
                                                      : static_codec_name (audio->pt)));
  out->pt = audio->pt;
  out->clock_rate = audio->srate ? audio->srate : 8000;
  out->dtmf_pt = event ? (guint) event->pt : 0;
  out->direction = sdp_media_dir (m);
  /* rdir is stored from our side: without its send bit the peer does not want our audio
   * (it sent sendonly or inactive).  A 0.0.0.0 connection address is RFC 2543 hold. */
  out->remote_hold = !(rdir & SDP_SENDONLY) || !sa_isset (raddr, SA_ADDR) ||
                     g_str_equal (host, "0.0.0.0");
  return TRUE;
}

void
jarchi_sip_media_clear (JarchiSipMedia *media)
{
  g_clear_pointer (&media->host, g_free);
  g_clear_pointer (&media->codec, g_free);
}
