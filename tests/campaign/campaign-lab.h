/* Shared by the end-to-end campaign tests: SIPp answerers for each way a callee can respond. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sip-lab.h"

/* Answers and sends "1" as SIP INFO (application/dtmf-relay) a second after the ACK. */
static const char info_xml[] =
  "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
  "<!DOCTYPE scenario SYSTEM \"sipp.dtd\">\n"
  "<scenario name=\"campaign info\">\n"
  "<recv request=\"INVITE\" crlf=\"true\" rrs=\"true\"><action>\n"
  "<ereg regexp=\".*\" search_in=\"hdr\" header=\"From:\" assign_to=\"invite_from\"/>\n"
  "<ereg regexp=\".*\" search_in=\"hdr\" header=\"To:\" assign_to=\"invite_to\"/>\n"
  "</action></recv>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 180 Ringing\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]c[call_number]\n[last_Call-ID:]\n"
  "[last_CSeq:]\n[last_Record-Route:]\nContact: <sip:lab@[local_ip]:[local_port]>\nContent-Length: 0\n\n]]></send>\n"
  "<pause milliseconds=\"300\"/>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]c[call_number]\n[last_Call-ID:]\n"
  "[last_CSeq:]\n[last_Record-Route:]\nContact: <sip:lab@[local_ip]:[local_port]>\n"
  "Content-Type: application/sdp\nContent-Length: [len]\n\n"
  "v=0\no=lab 1 1 IN IP[local_ip_type] [local_ip]\ns=-\nc=IN IP[media_ip_type] [media_ip]\nt=0 0\n"
  "m=audio [media_port] RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\na=rtpmap:101 telephone-event/8000\n"
  "a=fmtp:101 0-15\na=sendrecv\n]]></send>\n"
  "<recv request=\"ACK\" crlf=\"true\"/>\n"
  "<pause milliseconds=\"1000\"/>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "INFO [next_url] SIP/2.0\nVia: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]\n[routes]\n"
  "From: [$invite_to];tag=[pid]c[call_number]\nTo: [$invite_from]\n[last_Call-ID:]\nCSeq: 2 INFO\n"
  "Max-Forwards: 70\nContact: <sip:lab@[local_ip]:[local_port]>\n"
  "Content-Type: application/dtmf-relay\nContent-Length: [len]\n\n"
  "Signal=1\nDuration=160\n]]></send>\n"
  "<recv response=\"200\" optional=\"true\"/>\n"
  "<recv request=\"BYE\" timeout=\"20000\"/>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
  "</scenario>\n";

/* Answers with PCMU only (no telephone-event), then plays a DTMF "1" tone in the audio. */
static const char inband_xml[] =
  "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n"
  "<!DOCTYPE scenario SYSTEM \"sipp.dtd\">\n"
  "<scenario name=\"campaign inband\">\n"
  "<recv request=\"INVITE\" crlf=\"true\" rrs=\"true\"/>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 180 Ringing\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]c[call_number]\n[last_Call-ID:]\n"
  "[last_CSeq:]\n[last_Record-Route:]\nContact: <sip:lab@[local_ip]:[local_port]>\nContent-Length: 0\n\n]]></send>\n"
  "<pause milliseconds=\"300\"/>\n"
  "<send retrans=\"500\"><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:];tag=[pid]c[call_number]\n[last_Call-ID:]\n"
  "[last_CSeq:]\n[last_Record-Route:]\nContact: <sip:lab@[local_ip]:[local_port]>\n"
  "Content-Type: application/sdp\nContent-Length: [len]\n\n"
  "v=0\no=lab 1 1 IN IP[local_ip_type] [local_ip]\ns=-\nc=IN IP[media_ip_type] [media_ip]\nt=0 0\n"
  "m=audio [rtpstream_audio_port] RTP/AVP 0\na=rtpmap:0 PCMU/8000\na=ptime:20\na=sendrecv\n]]></send>\n"
  "<recv request=\"ACK\" crlf=\"true\"><action>\n"
  "<exec rtp_stream=\"@LAB_DIR@/dtmf1.ul,1,0\"/>\n"
  "</action></recv>\n"
  "<recv request=\"BYE\" timeout=\"20000\"/>\n"
  "<send><![CDATA[\n"
  "SIP/2.0 200 OK\n[last_Via:]\n[last_From:]\n[last_To:]\n[last_Call-ID:]\n[last_CSeq:]\nContent-Length: 0\n\n]]></send>\n"
  "<nop><action><exec rtp_stream=\"pause\"/></action></nop>\n"
  "</scenario>\n";

/* A lab peer: its instance directory, environment and scenario (NULL: info_xml/inband_xml). */
typedef struct {
  const char *dir;
  const char *env;
  const char *scenario;
} CampaignPeer;

static const CampaignPeer campaign_peers[] = {
  { "rfc1", "LAB_DTMF_DIGITS=1", "answer-dtmf" },
  { "rfc21", "LAB_DTMF_DIGITS=21", "answer-dtmf" },
  { "optout", "LAB_DTMF_DIGITS=9", "answer-dtmf" },
  { "info", "", NULL },
  { "inband", "", NULL },
  { "heard", "", "answer" },
  { "busy", "", "busy" },
  { "noanswer", "", "noanswer" },
  { "hangup", "LAB_SIPP_HOLD_MS=1000", "answer-hangup" },
};

/* Starts every peer; returns a table dir → port (GUINT_TO_POINTER). */
G_GNUC_UNUSED static GHashTable *
campaign_lab_start_peers (SipLab *lab)
{
  GHashTable *ports = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *info = sip_lab_scenario (lab, "info", info_xml);
  g_autofree char *inband = sip_lab_scenario (lab, "inband", inband_xml);

  /* DTMF "1" as tones in the audio (697 + 1209 Hz, 250 ms) after a second of silence, and once
   * more a second later, as a person does when nothing happens: GStreamer's dtmfdetect now
   * and then misreads a press on a loaded machine. */
  g_assert_cmpint (sip_lab_sh (lab, NULL, "mkdir -p \"$ROOT/inband\" && cd \"$ROOT/inband\" && "
                                          "sox -q -n -r 8000 -c 1 key.wav synth 0.25 sine 697 sine 1209 channels 1 gain -3 && "
                                          "sox -q -n -r 8000 -c 1 gap.wav trim 0 0.75 && "
                                          "sox -q key.wav gap.wav key.wav -t ul dtmf1.ul pad 1 4"), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (campaign_peers); i++)
    {
      const CampaignPeer *p = &campaign_peers[i];
      const char *scenario = p->scenario ? p->scenario : g_str_equal (p->dir, "info") ? info : inband;

      int rc = -1;

      /* Ports are picked at random and may be taken in between: try again with new ones. */
      for (int attempt = 0; attempt < 3 && rc != 0; attempt++)
        {
          rc = sip_lab_sh (lab, NULL, "%s lab_sipp_uas \"$ROOT/%s\" 0 '%s'", p->env, p->dir, scenario);
          if (rc != 0)
            (void) sip_lab_sh (lab, NULL, "lab_sipp_stop \"$ROOT/%s\"", p->dir);
        }
      g_assert_cmpint (rc, ==, 0);
      g_hash_table_insert (ports, (gpointer) p->dir, GUINT_TO_POINTER (sip_lab_read_uint (lab, p->dir, "port")));
    }
  return ports;
}

/* Makes Kamailio route calls for user @phone to the peer in @dir. */
G_GNUC_UNUSED static void
campaign_lab_route (SipLab *lab, GHashTable *ports, const char *phone, const char *dir)
{
  g_assert_cmpint (sip_lab_sh (lab, NULL, "lab_kamailio_add_contact \"$ROOT/kam\" %s sip:lab@127.0.0.1:%u",
                               phone, GPOINTER_TO_UINT (g_hash_table_lookup (ports, dir))), ==, 0);
}

G_GNUC_UNUSED static gboolean
campaign_lab_have_tools (void)
{
  const char *tools[] = { "kamailio", "kamcmd", "sipp", "sox", "python3" };

  for (gsize i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_autofree char *why = g_strdup_printf ("%s is not installed", tools[i]);
          g_test_skip (why);
          return FALSE;
        }
    }
  if (geteuid () != 0)
    {
      g_test_skip ("SIPp plays RFC 4733 digits with play_pcap_audio, which needs root");
      return FALSE;
    }
  return TRUE;
}
