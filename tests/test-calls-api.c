/* End to end: the real headless binary's /api/accounts, /api/calls, /api/history and /ws against Kamailio and baresip on 127.0.0.1. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <sys/stat.h>

#include "headless-client.h"
#include "media-fixtures.h"
#include "sip-lab.h"

/* Kamailio's digest password for every lab user, and so the one Jarchi's account uses. */
#define LAB_SECRET "Lab-Pass-4711"

typedef struct {
  SipLab   *lab;
  Headless  jarchi;
  char     *data_dir;
  guint     kport;
  guint     seen;      /* events before this index were looked at */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->lab = sip_lab_new (GPOINTER_TO_UINT (data));
  f->data_dir = g_build_filename (f->lab->root, "jarchi-data", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->data_dir, 0700), ==, 0);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  headless_clear (&f->jarchi);
  g_free (f->data_dir);
  sip_lab_free (f->lab);
}

static char *
member_string (JsonObject *obj, const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* ---- WebSocket event matchers ------------------------------------------------------------ */

static gboolean
registered (JsonObject *event, gconstpointer data)
{
  JsonObject *account = json_object_get_object_member (event, "account");

  return g_str_equal (json_object_get_string_member (account, "registration"), "registered");
}

typedef struct {
  gint64      id;         /* 0: any */
  const char *state;      /* NULL: any */
  const char *direction;  /* NULL: any */
} CallMatch;

static gboolean
call_matches (JsonObject *event, gconstpointer data)
{
  const CallMatch *m = data;
  JsonObject *call = json_object_get_object_member (event, "call");

  return (m->id == 0 || json_object_get_int_member (call, "id") == m->id) &&
         (m->state == NULL || g_str_equal (json_object_get_string_member (call, "state"), m->state)) &&
         (m->direction == NULL || g_str_equal (json_object_get_string_member (call, "direction"), m->direction));
}

static JsonObject *
wait_call (Fixture *f, gint64 id, const char *state, const char *direction)
{
  CallMatch m = { id, state, direction };
  JsonObject *event = headless_wait_event (&f->jarchi, &f->seen, "call", call_matches, &m, 15000);

  if (event == NULL)
    g_error ("no call event for call %" G_GINT64_FORMAT " in state %s", id, state ? state : "(any)");
  return json_object_get_object_member (event, "call");
}

/* ---- steps --------------------------------------------------------------------------------- */

/* POSTs the lab account for @user and waits until Kamailio has it, seen through the API. */
static gint64
add_registered_account (Fixture *f, const char *user, const char *extra)
{
  g_autofree char *body = g_strdup_printf ("{\"uri\": \"sip:%s@127.0.0.1:%u\", \"password\": \"%s\"%s}",
                                           user, f->kport, LAB_SECRET, extra ? extra : "");
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) node = NULL;
  HeadlessReply r = { 0 };
  JsonObject *obj;
  gint64 id;

  g_assert_cmpuint (headless_http (&f->jarchi, "POST", "/api/accounts", body, &r), ==, 201);
  g_assert_null (strstr (r.body, LAB_SECRET));
  obj = headless_json (&r, &node);
  g_assert_false (json_object_has_member (obj, "password"));
  g_assert_true (json_object_get_boolean_member (obj, "has_password"));
  id = json_object_get_int_member (obj, "id");
  g_assert_nonnull (headless_wait_event (&f->jarchi, &f->seen, "registration", registered, NULL, 10000));

  path = g_strdup_printf ("/api/accounts/%" G_GINT64_FORMAT, id);
  g_assert_cmpuint (headless_http (&f->jarchi, "GET", path, NULL, &r), ==, 200);
  obj = headless_json (&r, &node);
  g_assert_cmpstr (json_object_get_string_member (obj, "registration"), ==, "registered");
  g_assert_true (json_object_get_null_member (obj, "registration_error"));
  headless_reply_clear (&r);
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_kamailio_registered \"$ROOT/kam\" %s", user), ==, 0);
  return id;
}

static gboolean
baresip_has_digits (SipLab *lab, const char *dir, const char *digits)
{
  g_autofree char *got = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_clear_pointer (&got, g_free);
      (void) sip_lab_sh (lab, &got,
                         "tr '\\r' '\\n' <\"$ROOT/%s/baresip.log\" | sed -n \"s/^received event: '\\(.\\)' (end=1)/\\1/p\" | tr -d '\\n'",
                         dir);
      if (got != NULL && g_str_equal (got, digits))
        return TRUE;
      sip_lab_spin (200);
    }
  g_test_message ("baresip received DTMF '%s', expected '%s'", got ? got : "", digits);
  return FALSE;
}

/* Decodes an Ogg/Opus recording to 8 kHz mono and returns the share of the tone at @freq in
 * its middle second(s) (Goertzel over 1 s blocks, averaged). */
static double
recording_tone_share (Fixture *f, const char *ogg, gsize len, double freq, double *seconds)
{
  g_autofree char *in = g_build_filename (f->lab->root, "recording.ogg", NULL);
  g_autofree char *out = g_build_filename (f->lab->root, "recording.wav", NULL);
  g_autofree char *desc = NULL;
  g_autofree char *wav_data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  gsize wav_len = 0, blocks = 0;
  double share = 0;
  Wav wav;

  gst_init (NULL, NULL);
  g_assert_true (g_file_set_contents (in, ogg, (gssize) len, NULL));
  desc = g_strdup_printf ("filesrc location=\"%s\" ! oggdemux ! opusdec ! audioconvert ! audioresample "
                          "! audio/x-raw,format=S16LE,rate=8000,channels=1 ! wavenc ! filesink location=\"%s\"",
                          in, out);
  pipeline = gst_object_ref_sink (gst_parse_launch (desc, &error));
  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  g_assert_true (g_file_get_contents (out, &wav_data, &wav_len, NULL));
  g_assert_true (parse_wav ((const guint8 *) wav_data, wav_len, &wav));
  g_assert_cmpuint (wav.rate, ==, 8000);
  *seconds = (double) wav.n_samples / 8000.0;
  /* Skip the first and last half second (call set-up, BYE). */
  for (gsize start = 4000; start + 8000 + 4000 <= wav.n_samples; start += 8000, blocks++)
    share += goertzel_share (wav.samples + start, 8000, 8000, freq);
  g_assert_cmpuint (blocks, >=, 1);
  return share / blocks;
}

/* ---- tests ----------------------------------------------------------------------------------- */

static void
test_errors_and_persistence (Fixture *f, gconstpointer data)
{
  static const char *const protected[][2] = {
    { "GET", "/api/accounts" }, { "POST", "/api/accounts" }, { "GET", "/api/accounts/1" },
    { "POST", "/api/calls" }, { "GET", "/api/calls/active" }, { "POST", "/api/calls/1/hangup" },
    { "GET", "/api/history" }, { "GET", "/api/history.csv" }, { "GET", "/api/history/1/recording" },
  };
  Headless *j = &f->jarchi;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *secrets_path = g_build_filename (f->data_dir, "account-secrets", NULL);
  g_autofree char *secrets = NULL;
  HeadlessReply r = { 0 };
  JsonObject *obj;
  struct stat st;
  gint64 first_call, second_call;
  g_autofree char *first_call_hangup = NULL;
  g_autofree char *second_call_hangup = NULL;

  headless_start (j, f->data_dir);

  for (gsize i = 0; i < G_N_ELEMENTS (protected); i++)
    {
      g_assert_cmpuint (headless_http_full (j, protected[i][0], protected[i][1], "{}", FALSE, &r), ==, 401);
      obj = headless_json (&r, &node);
      g_assert_cmpstr (json_object_get_string_member (obj, "error"), ==, "unauthorized");
    }

  /* Accounts: every bad request is refused whole. */
  headless_expect_error (j, "POST", "/api/accounts", "{\"uri\": ", 400, "invalid_json");
  headless_expect_error (j, "POST", "/api/accounts", "[1, 2]", 400, "invalid_json");
  headless_expect_error (j, "POST", "/api/accounts", "{\"password\": \"x\"}", 400, "missing_field");
  headless_expect_error (j, "POST", "/api/accounts", "{\"uri\": \"not an address\"}", 400, "invalid_account");
  headless_expect_error (j, "POST", "/api/accounts", "{\"uri\": 5}", 400, "invalid_field");
  headless_expect_error (j, "POST", "/api/accounts", "{\"uri\": \"sip:a@127.0.0.1:9\", \"transport\": \"pigeon\"}",
                         400, "invalid_field");
  g_assert_cmpuint (headless_http (j, "GET", "/api/accounts", NULL, &r), ==, 200);
  g_assert_cmpint (json_object_get_int_member (headless_json (&r, &node), "total"), ==, 0);

  g_assert_cmpuint (headless_http (j, "POST", "/api/accounts",
                                   "{\"uri\": \"sip:desk@127.0.0.1:9\", \"password\": \"pw-123456-abc\", "
                                   "\"display_name\": \"Desk\", \"dtmf_mode\": \"info\"}", &r), ==, 201);
  g_assert_null (strstr (r.body, "pw-123456-abc"));
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Location"), ==, "/api/accounts/1");
  obj = headless_json (&r, &node);
  g_assert_cmpint (json_object_get_int_member (obj, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (obj, "dtmf_mode"), ==, "info");
  g_assert_true (json_object_has_member (obj, "registration"));

  headless_expect_error (j, "PATCH", "/api/accounts/1", "{\"display_name\": \"New\", \"uri\": \"bad\"}", 400,
                         "invalid_account");
  headless_expect_error (j, "PATCH", "/api/accounts/1", "{\"display_name\": \"New\", \"record\": \"yes\"}", 400,
                         "invalid_field");
  headless_expect_error (j, "PATCH", "/api/accounts/1", "{", 400, "invalid_json");
  g_assert_cmpuint (headless_http (j, "GET", "/api/accounts/1", NULL, &r), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (headless_json (&r, &node), "display_name"), ==, "Desk");
  g_assert_cmpuint (headless_http (j, "PATCH", "/api/accounts/1", "{\"display_name\": \"Desk 2\"}", &r), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (headless_json (&r, &node), "display_name"), ==, "Desk 2");
  headless_expect_error (j, "GET", "/api/accounts/999", NULL, 404, "not_found");
  headless_expect_error (j, "PATCH", "/api/accounts/999", "{}", 404, "not_found");
  headless_expect_error (j, "DELETE", "/api/accounts/999", NULL, 404, "not_found");
  headless_expect_error (j, "GET", "/api/accounts/abc", NULL, 404, "not_found");
  headless_expect_error (j, "PUT", "/api/accounts/1", "{}", 405, "method_not_allowed");

  /* Calls: nothing is dialled by a bad request. */
  headless_expect_error (j, "POST", "/api/calls", "{\"to\"", 400, "invalid_json");
  headless_expect_error (j, "POST", "/api/calls", "{}", 400, "missing_field");
  headless_expect_error (j, "POST", "/api/calls", "{\"to\": 5}", 400, "invalid_field");
  headless_expect_error (j, "POST", "/api/calls", "{\"to\": \"hello world\"}", 400, "invalid_uri");
  headless_expect_error (j, "POST", "/api/calls", "{\"to\": \"101\", \"account\": 77}", 400, "unknown_account");
  headless_expect_error (j, "POST", "/api/calls", "{\"to\": \"sip:x@127.0.0.1:9\", \"play\": \"/etc/passwd\"}",
                         400, "invalid_play");
  headless_expect_error (j, "POST", "/api/calls", "{\"to\": \"sip:x@127.0.0.1:9\", \"play\": \"../../etc/passwd\"}",
                         400, "invalid_play");
  /* The data directory's own files (token, passwords, database) are never played. */
  headless_expect_error (j, "POST", "/api/calls", "{\"to\": \"sip:x@127.0.0.1:9\", \"play\": \"dashboard-token\"}",
                         400, "invalid_play");
  headless_expect_error (j, "POST", "/api/calls", "{\"to\": \"sip:x@127.0.0.1:9\", \"play\": 12345}",
                         400, "invalid_play");
  headless_expect_error (j, "POST", "/api/calls", "{\"to\": \"sip:x@127.0.0.1:9\", \"record\": 1}",
                         400, "invalid_field");
  g_assert_cmpuint (headless_http (j, "GET", "/api/calls/active", NULL, &r), ==, 200);
  g_assert_cmpint (json_object_get_int_member (headless_json (&r, &node), "total"), ==, 0);
  headless_expect_error (j, "GET", "/api/calls/999", NULL, 404, "not_found");
  headless_expect_error (j, "POST", "/api/calls/999/hangup", NULL, 404, "not_found");
  headless_expect_error (j, "POST", "/api/calls/999/dtmf", "{\"digits\": \"1\"}", 404, "not_found");
  headless_expect_error (j, "GET", "/api/calls", NULL, 405, "method_not_allowed");

  /* History. */
  headless_expect_error (j, "GET", "/api/history/999", NULL, 404, "not_found");
  headless_expect_error (j, "GET", "/api/history/999/recording", NULL, 404, "not_found");
  headless_expect_error (j, "GET", "/api/history?direction=sideways", NULL, 400, "invalid_parameter");
  headless_expect_error (j, "GET", "/api/history?from=yesterday", NULL, 400, "invalid_parameter");
  headless_expect_error (j, "GET", "/api/history?limit=5000", NULL, 400, "invalid_parameter");
  headless_expect_error (j, "GET", "/api/history.csv?to=never", NULL, 400, "invalid_parameter");
  g_assert_cmpuint (headless_http (j, "GET", "/api/history", NULL, &r), ==, 200);
  g_assert_cmpint (json_object_get_int_member (headless_json (&r, &node), "total"), ==, 0);

  /* The password lives in the 0600 secrets file only. */
  g_assert_cmpint (stat (secrets_path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (secrets_path, &secrets, NULL, NULL));
  g_assert_nonnull (strstr (secrets, "pw-123456-abc"));

  /* A call id of this run, to compare with the next run's. */
  g_assert_cmpuint (headless_http (j, "POST", "/api/calls", "{\"to\": \"sip:gone@127.0.0.1:9\"}", &r), ==, 201);
  first_call = json_object_get_int_member (headless_json (&r, &node), "id");
  g_assert_cmpint (first_call, >, 0);
  (void) headless_http (j, "POST", first_call_hangup = g_strdup_printf ("/api/calls/%" G_GINT64_FORMAT "/hangup",
                                                                         first_call), NULL, &r);
  headless_stop (j);
  for (const char *const *name = (const char *const[]) { "jarchi.db", "jarchi.db-wal", NULL }; *name; name++)
    {
      g_autofree char *path = g_build_filename (f->data_dir, *name, NULL);
      g_autofree char *content = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &content, &len, NULL))
        g_assert_null (g_strstr_len (content, len, "pw-123456-abc"));
    }

  /* A restart keeps the account; deleting it forgets the password too. */
  headless_start (j, f->data_dir);
  g_assert_cmpuint (headless_http (j, "GET", "/api/accounts/1", NULL, &r), ==, 200);
  obj = headless_json (&r, &node);
  g_assert_cmpstr (json_object_get_string_member (obj, "display_name"), ==, "Desk 2");
  g_assert_true (json_object_get_boolean_member (obj, "has_password"));
  g_assert_cmpstr (json_object_get_string_member (obj, "dtmf_mode"), ==, "info");
  /* Call ids go on from the last run's: an old id never names a new call. */
  g_assert_cmpuint (headless_http (j, "POST", "/api/calls", "{\"to\": \"sip:gone@127.0.0.1:9\"}", &r), ==, 201);
  second_call = json_object_get_int_member (headless_json (&r, &node), "id");
  g_test_message ("call id before the restart %" G_GINT64_FORMAT ", after %" G_GINT64_FORMAT,
                  first_call, second_call);
  g_assert_cmpint (second_call, >, first_call);
  headless_expect_error (j, "POST", first_call_hangup, NULL, 404, "not_found");
  (void) headless_http (j, "POST", second_call_hangup = g_strdup_printf ("/api/calls/%" G_GINT64_FORMAT "/hangup",
                                                                          second_call), NULL, &r);
  g_assert_cmpuint (headless_http (j, "DELETE", "/api/accounts/1", NULL, &r), ==, 204);
  headless_expect_error (j, "GET", "/api/accounts/1", NULL, 404, "not_found");
  g_clear_pointer (&secrets, g_free);
  g_assert_true (g_file_get_contents (secrets_path, &secrets, NULL, NULL));
  g_assert_null (strstr (secrets, "pw-123456-abc"));
  headless_reply_clear (&r);
  headless_stop (j);
}

static void
test_outgoing_call (Fixture *f, gconstpointer data)
{
  Headless *j = &f->jarchi;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sounds = g_build_filename (f->data_dir, "sounds", NULL);
  g_autofree char *tone = g_build_filename (sounds, "tone600.wav", NULL);
  g_autofree char *call_path = NULL;
  g_autofree char *action = NULL;
  g_autofree char *recording_url = NULL;
  g_autofree char *heard = NULL;
  HeadlessReply r = { 0 };
  JsonObject *obj, *call, *event, *entry;
  gint64 account, id, history_id;
  double share_peer, share_played, seconds;
  guint from;

  f->kport = sip_lab_kamailio (f->lab, "kam", TRUE);
  g_assert_cmpint (sip_lab_sh (f->lab, NULL,
                               "lab_baresip_start \"$ROOT/alice\" 0 --user 1001 --registrar 127.0.0.1:%u "
                               "--password %s --tone 1000", f->kport, LAB_SECRET), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (sounds, 0700), ==, 0);
  g_assert_true (make_tone_file (tone, tone_format ("wav"), 600, 20000));

  headless_start (j, f->data_dir);
  headless_ws_open (j);
  account = add_registered_account (f, "jarchi", NULL);

  /* Dial by number through the account's domain, play a file, record. */
  g_assert_cmpuint (headless_http (j, "POST", "/api/calls",
                                   "{\"to\": \"1001\", \"play\": \"sounds/tone600.wav\", \"record\": true}", &r), ==, 201);
  id = json_object_get_int_member (headless_json (&r, &node), "id");
  call_path = g_strdup_printf ("/api/calls/%" G_GINT64_FORMAT, id);
  g_assert_cmpstr (soup_message_headers_get_one (r.headers, "Location"), ==, call_path);

  call = wait_call (f, id, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (call, "state"), ==, "dialing");
  g_assert_cmpstr (json_object_get_string_member (call, "direction"), ==, "outgoing");
  g_assert_cmpint (json_object_get_int_member (call, "account"), ==, account);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (call, "remote"), "sip:1001@127.0.0.1:"));
  g_assert_true (json_object_get_null_member (call, "answered_at"));
  call = wait_call (f, id, "active", NULL);
  g_assert_false (json_object_get_null_member (call, "answered_at"));
  g_assert_cmpint (json_object_get_int_member (call, "sip_code"), ==, 200);

  g_assert_cmpuint (headless_http (j, "GET", "/api/calls/active", NULL, &r), ==, 200);
  obj = headless_json (&r, &node);
  g_assert_cmpint (json_object_get_int_member (obj, "total"), ==, 1);
  g_assert_cmpuint (headless_http (j, "GET", call_path, NULL, &r), ==, 200);
  obj = headless_json (&r, &node);
  g_assert_true (json_object_get_boolean_member (obj, "recording"));
  history_id = json_object_get_int_member (obj, "history_id");
  g_assert_cmpint (history_id, >, 0);

  /* DTMF by RFC 4733: baresip logs each digit. */
  sip_lab_spin (1500);
  action = g_strconcat (call_path, "/dtmf", NULL);
  g_assert_cmpuint (headless_http (j, "POST", action, "{\"digits\": \"12#\"}", &r), ==, 200);
  headless_expect_error (j, "POST", action, "{\"digits\": \"1x\"}", 400, "invalid_digits");
  headless_expect_error (j, "POST", action, "{}", 400, "invalid_digits");
  g_assert_true (baresip_has_digits (f->lab, "alice", "12#"));

  /* Hold and resume; a resume of an active call is a conflict. */
  g_clear_pointer (&action, g_free);
  action = g_strconcat (call_path, "/hold", NULL);
  g_assert_cmpuint (headless_http (j, "POST", action, NULL, &r), ==, 200);
  (void) wait_call (f, id, "held", NULL);
  g_clear_pointer (&action, g_free);
  action = g_strconcat (call_path, "/resume", NULL);
  g_assert_cmpuint (headless_http (j, "POST", action, NULL, &r), ==, 200);
  (void) wait_call (f, id, "active", NULL);
  headless_expect_error (j, "POST", action, NULL, 409, "invalid_state");
  g_clear_pointer (&action, g_free);
  action = g_strconcat (call_path, "/answer", NULL);
  headless_expect_error (j, "POST", action, NULL, 409, "invalid_state");
  g_clear_pointer (&action, g_free);
  action = g_strconcat (call_path, "/transfer", NULL);
  headless_expect_error (j, "POST", action, "{}", 400, "missing_field");
  headless_expect_error (j, "POST", action, "{\"to\": \"a b c\"}", 400, "invalid_uri");
  headless_expect_error (j, "POST", action, "{\"attended_with\": 999}", 400, "unknown_call");
  g_clear_pointer (&action, g_free);
  action = g_strconcat (call_path, "/fly", NULL);
  headless_expect_error (j, "POST", action, NULL, 404, "not_found");

  /* Hang up: the call ends, its history row is written and announced. */
  sip_lab_spin (2000);
  g_clear_pointer (&action, g_free);
  action = g_strconcat (call_path, "/hangup", NULL);
  g_assert_cmpuint (headless_http (j, "POST", action, NULL, &r), ==, 200);
  from = f->seen;
  call = wait_call (f, id, "ended", NULL);
  g_assert_cmpstr (json_object_get_string_member (call, "end_reason"), ==, "hung up");
  g_assert_false (json_object_get_null_member (call, "ended_at"));
  event = headless_wait_event (j, &from, "history", NULL, NULL, 10000);
  g_assert_nonnull (event);
  entry = json_object_get_object_member (event, "entry");
  g_assert_cmpint (json_object_get_int_member (entry, "id"), ==, history_id);
  g_assert_true (json_object_get_boolean_member (entry, "recording"));
  /* An ended call stays readable, in its final state, for a while. */
  g_assert_cmpuint (headless_http (j, "GET", call_path, NULL, &r), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (headless_json (&r, &node), "state"), ==, "ended");

  /* History: list with filters, CSV, recording by id. */
  g_assert_cmpuint (headless_http (j, "GET", "/api/history?q=1001&direction=outgoing&from=2020-01-01", NULL, &r), ==, 200);
  obj = headless_json (&r, &node);
  g_assert_cmpint (json_object_get_int_member (obj, "total"), ==, 1);
  entry = json_array_get_object_element (json_object_get_array_member (obj, "items"), 0);
  g_assert_cmpint (json_object_get_int_member (entry, "id"), ==, history_id);
  g_assert_cmpint (json_object_get_int_member (entry, "account"), ==, account);
  g_assert_cmpstr (json_object_get_string_member (entry, "end_reason"), ==, "hung up");
  g_assert_cmpint (json_object_get_int_member (entry, "sip_code"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (entry, "duration"), >=, 4);
  recording_url = member_string (entry, "recording_url");
  g_assert_nonnull (recording_url);
  g_assert_cmpuint (headless_http (j, "GET", "/api/history?direction=incoming", NULL, &r), ==, 200);
  g_assert_cmpint (json_object_get_int_member (headless_json (&r, &node), "total"), ==, 0);
  g_assert_cmpuint (headless_http (j, "GET", "/api/history?q=nobody", NULL, &r), ==, 200);
  g_assert_cmpint (json_object_get_int_member (headless_json (&r, &node), "total"), ==, 0);

  g_assert_cmpuint (headless_http (j, "GET", "/api/history.csv?q=1001", NULL, &r), ==, 200);
  g_assert_cmpint (soup_message_headers_get_encoding (r.headers), ==, SOUP_ENCODING_CHUNKED);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (r.headers, NULL), "text/csv"));
  g_assert_true (g_str_has_prefix (r.body, "\xEF\xBB\xBFid,started_at,"));
  g_assert_nonnull (strstr (r.body, ",outgoing,sip:1001@127.0.0.1:"));
  g_assert_nonnull (strstr (r.body, ",hung up,200,yes\r\n"));

  g_assert_cmpuint (headless_http (j, "GET", recording_url, NULL, &r), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (r.headers, NULL), ==, "audio/ogg");
  g_assert_cmpuint (r.len, >, 1000);
  g_assert_true (memcmp (r.body, "OggS", 4) == 0);
  /* Both directions are in it: baresip's 1 kHz and the 600 Hz file we played. */
  share_peer = recording_tone_share (f, r.body, r.len, 1000, &seconds);
  share_played = recording_tone_share (f, r.body, r.len, 600, &seconds);
  g_test_message ("recording: %.1f s, 1 kHz share %.2f, 600 Hz share %.2f", seconds, share_peer, share_played);
  g_assert_cmpfloat (seconds, >=, 4.0);
  g_assert_cmpfloat (share_peer, >, 0.15);
  g_assert_cmpfloat (share_played, >, 0.15);
  /* And baresip heard the file. */
  g_assert_cmpint (sip_lab_sh (f->lab, &heard,
                               "lab_has_tone \"$(lab_baresip_recordings \"$ROOT/alice\" dec | tail -n 1)\" 600"), ==, 0);

  headless_reply_clear (&r);
  headless_stop (j);
}

static void
test_incoming_call (Fixture *f, gconstpointer data)
{
  Headless *j = &f->jarchi;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *reject = NULL;
  HeadlessReply r = { 0 };
  JsonObject *call, *event, *entry;
  gint64 id, second;
  guint from;

  f->kport = sip_lab_kamailio (f->lab, "kam", TRUE);
  g_assert_cmpint (sip_lab_sh (f->lab, NULL,
                               "lab_baresip_start \"$ROOT/bob\" 0 --user 1002 --registrar 127.0.0.1:%u "
                               "--password %s", f->kport, LAB_SECRET), ==, 0);
  headless_start (j, f->data_dir);
  headless_ws_open (j);
  (void) add_registered_account (f, "jarchi", ", \"display_name\": \"Front desk\"");

  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_baresip_cmd \"$ROOT/bob\" \"/dial sip:jarchi@127.0.0.1:%u\"",
                               f->kport), ==, 0);
  call = wait_call (f, 0, "incoming", "incoming");
  id = json_object_get_int_member (call, "id");
  g_assert_nonnull (strstr (json_object_get_string_member (call, "remote"), "1002"));

  answer = g_strdup_printf ("/api/calls/%" G_GINT64_FORMAT "/answer", id);
  g_assert_cmpuint (headless_http (j, "POST", answer, NULL, &r), ==, 200);
  (void) wait_call (f, id, "active", NULL);
  headless_expect_error (j, "POST", answer, NULL, 409, "invalid_state");

  /* A key pressed on baresip arrives once, as RFC 4733. */
  sip_lab_spin (1000);
  from = f->seen;
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_baresip_dtmf \"$ROOT/bob\" 5"), ==, 0);
  event = headless_wait_event (j, &from, "dtmf", NULL, NULL, 10000);
  g_assert_nonnull (event);
  g_assert_cmpint (json_object_get_int_member (event, "call"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (event, "digit"), ==, "5");
  g_assert_cmpstr (json_object_get_string_member (event, "method"), ==, "rfc4733");
  sip_lab_spin (500);
  g_assert_null (headless_wait_event (j, &from, "dtmf", NULL, NULL, 0));

  /* The caller hangs up. */
  from = f->seen;
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_baresip_cmd \"$ROOT/bob\" /hangup"), ==, 0);
  call = wait_call (f, id, "ended", NULL);
  g_assert_cmpstr (json_object_get_string_member (call, "end_reason"), ==, "remote hung up");
  event = headless_wait_event (j, &from, "history", NULL, NULL, 10000);
  g_assert_nonnull (event);
  entry = json_object_get_object_member (event, "entry");
  g_assert_cmpstr (json_object_get_string_member (entry, "direction"), ==, "incoming");
  g_assert_false (json_object_get_boolean_member (entry, "recording"));

  /* A second call, declined. */
  sip_lab_spin (1200);
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_baresip_cmd \"$ROOT/bob\" \"/dial sip:jarchi@127.0.0.1:%u\"",
                               f->kport), ==, 0);
  call = wait_call (f, 0, "incoming", "incoming");
  second = json_object_get_int_member (call, "id");
  g_assert_cmpint (second, !=, id);
  reject = g_strdup_printf ("/api/calls/%" G_GINT64_FORMAT "/reject", second);
  headless_expect_error (j, "POST", reject, "{\"code\": 404}", 400, "invalid_field");
  g_assert_cmpuint (headless_http (j, "POST", reject, "{\"code\": 603}", &r), ==, 200);
  call = wait_call (f, second, "ended", NULL);
  g_assert_cmpint (json_object_get_int_member (call, "sip_code"), ==, 603);

  g_assert_cmpuint (headless_http (j, "GET", "/api/history?direction=incoming", NULL, &r), ==, 200);
  g_assert_cmpint (json_object_get_int_member (headless_json (&r, &node), "total"), ==, 2);
  headless_reply_clear (&r);
  headless_stop (j);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("LAB_PASSWORD", LAB_SECRET, TRUE);

  g_test_add ("/calls-api/errors-and-persistence", Fixture, GUINT_TO_POINTER (60), fixture_setup,
              test_errors_and_persistence, fixture_teardown);
  g_test_add ("/calls-api/outgoing-call", Fixture, GUINT_TO_POINTER (90), fixture_setup,
              test_outgoing_call, fixture_teardown);
  g_test_add ("/calls-api/incoming-call", Fixture, GUINT_TO_POINTER (90), fixture_setup,
              test_incoming_call, fixture_teardown);
  return g_test_run ();
}
