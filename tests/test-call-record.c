/* Per-call recording toggled mid-call (GAction, manager API, HTTP API) against baresip, checked by content; ended calls still readable over HTTP. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <sys/stat.h>

#include "call-fixture.h"
#include "headless-client.h"
#include "media-fixtures.h"

#define PEER_HZ 1000.0   /* lab baresip's tone */
#define OWN_HZ  600.0    /* what Jarchi sends in the manager test */

/* Decodes an Ogg/Opus recording to 8 kHz mono samples (the WAV is kept in @wav_data). */
static void
decode_recording (const char *ogg, const char *wav_path, char **wav_data, Wav *wav)
{
  g_autofree char *desc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  gsize len = 0;

  gst_init (NULL, NULL);
  desc = g_strdup_printf ("filesrc location=\"%s\" ! oggdemux ! opusdec ! audioconvert ! audioresample "
                          "! audio/x-raw,format=S16LE,rate=8000,channels=1 ! wavenc ! filesink location=\"%s\"",
                          ogg, wav_path);
  pipeline = gst_object_ref_sink (gst_parse_launch (desc, &error));
  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_assert_true (g_file_get_contents (wav_path, wav_data, &len, NULL));
  g_assert_true (parse_wav ((const guint8 *) *wav_data, len, wav));
  g_assert_cmpuint (wav->rate, ==, 8000);
}

/* Checks the half seconds around the middle of [from, to) seconds of the recording: with
 * @audible each tone of @freqs holds a fair share of the energy; without it, near silence. */
static void
assert_span (const Wav *wav, double from, double to, gboolean audible, const double *freqs, guint n_freqs)
{
  gsize mid = (gsize) ((from + to) / 2 * 8000);
  gsize start = mid - 2000, n = 4000;
  double level;

  g_assert_cmpuint (start + n, <=, wav->n_samples);
  level = rms (wav->samples + start, n);
  g_test_message ("%.1f-%.1f s: rms %.0f, %.0f Hz share %.2f", from, to, level, freqs[0],
                  goertzel_share (wav->samples + start, n, 8000, freqs[0]));
  if (!audible)
    {
      /* Opus leaves a trace of noise, nothing like speech or a tone (~10000 here). */
      g_assert_cmpfloat (level, <, 300);
      return;
    }
  g_assert_cmpfloat (level, >, 1000);
  for (guint i = 0; i < n_freqs; i++)
    g_assert_cmpfloat (goertzel_share (wav->samples + start, n, 8000, freqs[i]), >, 0.15);
}

static void
assert_private (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

/* ---- the call manager: GActions and set_recording() ---------------------------------------- */

static void
test_manager_toggle (Fixture *f, gconstpointer data)
{
  static const double both[] = { PEER_HZ, OWN_HZ };
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wav_path = g_build_filename (f->lab->root, "manager.wav", NULL);
  g_autofree char *wav_data = NULL;
  GActionGroup *actions = jarchi_call_manager_get_actions (f->manager);
  JarchiCall *call;
  Wav wav;
  guint id;

  g_assert_true (g_action_group_has_action (actions, "record"));
  g_assert_true (g_action_group_has_action (actions, "toggle-record"));
  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_baresip_start \"$ROOT/peer\" 0"), ==, 0);
  uri = sipp_uri (f, "lab", sip_lab_read_uint (f->lab, "peer", "port"));
  id = jarchi_call_manager_dial (f->manager, uri, JARCHI_ACCOUNT_NONE, &error);
  g_assert_no_error (error);
  watch (f, id);

  /* Not before the call is answered. */
  g_assert_false (jarchi_call_manager_set_recording (f->manager, id, TRUE, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (jarchi_call_manager_set_recording (f->manager, id + 1000, TRUE, &error));
  g_assert_error (error, JARCHI_ERROR, JARCHI_ERROR_NOT_FOUND);
  g_clear_error (&error);

  wait_state (f, JARCHI_CALL_STATE_ACTIVE);
  sip_lab_spin (800);
  call = jarchi_call_manager_lookup_call (f->manager, id);
  g_assert_null (jarchi_call_get_recording_path (call));
  g_assert_false (jarchi_call_manager_get_recording (f->manager, id));

  /* On (GAction), off (toggle), on again (the manager's API): 2 s each. */
  g_action_group_activate_action (actions, "record", g_variant_new ("(ub)", id, TRUE));
  g_assert_true (jarchi_call_manager_get_recording (f->manager, id));
  path = g_strdup (jarchi_call_get_recording_path (call));
  g_assert_nonnull (path);
  assert_private (path);
  sip_lab_spin (2000);
  g_action_group_activate_action (actions, "toggle-record", g_variant_new_uint32 (id));
  g_assert_false (jarchi_call_manager_get_recording (f->manager, id));
  /* Stopping twice is no error. */
  g_assert_true (jarchi_call_manager_set_recording (f->manager, id, FALSE, &error));
  g_assert_no_error (error);
  sip_lab_spin (2000);
  g_assert_true (jarchi_call_manager_set_recording (f->manager, id, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (jarchi_call_manager_get_recording (f->manager, id));
  /* Still the call's one file. */
  g_assert_cmpstr (jarchi_call_get_recording_path (call), ==, path);
  sip_lab_spin (2000);

  g_assert_true (jarchi_call_manager_hangup (f->manager, id, &error));
  call = ended_call (f);
  g_assert_cmpstr (jarchi_call_get_recording_path (call), ==, path);
  assert_private (path);

  decode_recording (path, wav_path, &wav_data, &wav);
  g_test_message ("recording: %.2f s", wav.n_samples / 8000.0);
  g_assert_cmpfloat (wav.n_samples / 8000.0, >=, 5.5);
  assert_span (&wav, 0, 2, TRUE, both, 2);
  assert_span (&wav, 2, 4, FALSE, both, 2);
  assert_span (&wav, 4, 6, TRUE, both, 2);
}

/* ---- the HTTP API of the real headless binary ---------------------------------------------- */

typedef struct {
  SipLab   *lab;
  Headless  jarchi;
  char     *data_dir;
} ApiFixture;

static void
api_setup (ApiFixture *f, gconstpointer data)
{
  f->lab = sip_lab_new (GPOINTER_TO_UINT (data));
  f->data_dir = g_build_filename (f->lab->root, "jarchi-data", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->data_dir, 0700), ==, 0);
}

static void
api_teardown (ApiFixture *f, gconstpointer data)
{
  headless_clear (&f->jarchi);
  g_free (f->data_dir);
  sip_lab_free (f->lab);
}

static JsonObject *
get_call (ApiFixture *f, const char *path, JsonNode **node)
{
  HeadlessReply r = { 0 };
  JsonObject *obj;

  g_assert_cmpuint (headless_http (&f->jarchi, "GET", path, NULL, &r), ==, 200);
  obj = headless_json (&r, node);
  headless_reply_clear (&r);
  return obj;
}

typedef struct {
  ApiFixture *f;
  const char *path;
  const char *state;
} ApiWait;

static gboolean
api_state_is (gpointer data)
{
  ApiWait *w = data;
  g_autoptr(JsonNode) node = NULL;

  return g_str_equal (json_object_get_string_member (get_call (w->f, w->path, &node), "state"), w->state);
}

static gboolean
recording_event (JsonObject *event, gconstpointer data)
{
  JsonObject *call = json_object_get_object_member (event, "call");

  return json_object_get_boolean_member (call, "recording") == GPOINTER_TO_INT (data);
}

/* POSTs @body to @path and returns the reply's "recording". */
static gboolean
post_record (ApiFixture *f, const char *path, const char *body)
{
  g_autoptr(JsonNode) node = NULL;
  HeadlessReply r = { 0 };
  gboolean recording;

  g_assert_cmpuint (headless_http (&f->jarchi, "POST", path, body, &r), ==, 200);
  recording = json_object_get_boolean_member (headless_json (&r, &node), "recording");
  headless_reply_clear (&r);
  return recording;
}

static void
test_api_record_and_ended (ApiFixture *f, gconstpointer data)
{
  static const double peer[] = { PEER_HZ };
  Headless *j = &f->jarchi;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *call_path = NULL;
  g_autofree char *record_path = NULL;
  g_autofree char *hangup_path = NULL;
  g_autofree char *recording_url = NULL;
  g_autofree char *ogg = g_build_filename (f->lab->root, "api.ogg", NULL);
  g_autofree char *wav_path = g_build_filename (f->lab->root, "api.wav", NULL);
  g_autofree char *wav_data = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *rec_dir = g_build_filename (f->data_dir, "recordings", NULL);
  HeadlessReply r = { 0 };
  JsonObject *obj;
  ApiWait w = { f, NULL, "active" };
  const char *name;
  gint64 id, history_id;
  guint from = 0;
  Wav wav;

  g_assert_cmpint (sip_lab_sh (f->lab, NULL, "lab_baresip_start \"$ROOT/peer\" 0"), ==, 0);
  headless_start (j, f->data_dir);
  headless_ws_open (j);

  body = g_strdup_printf ("{\"to\": \"sip:lab@127.0.0.1:%u\", \"account\": null}",
                          sip_lab_read_uint (f->lab, "peer", "port"));
  g_assert_cmpuint (headless_http (j, "POST", "/api/calls", body, &r), ==, 201);
  id = json_object_get_int_member (headless_json (&r, &node), "id");
  call_path = g_strdup_printf ("/api/calls/%" G_GINT64_FORMAT, id);
  record_path = g_strconcat (call_path, "/record", NULL);
  hangup_path = g_strconcat (call_path, "/hangup", NULL);
  w.path = call_path;
  g_assert_true (sip_lab_wait (api_state_is, &w, 15000));
  g_assert_false (json_object_get_boolean_member (get_call (f, call_path, &node), "recording"));
  sip_lab_spin (800);

  /* Bad input changes nothing. */
  headless_expect_error (j, "POST", record_path, "{\"record\": \"yes\"}", 400, "invalid_field");
  headless_expect_error (j, "POST", record_path, "[1]", 400, NULL);
  headless_expect_error (j, "GET", record_path, NULL, 405, NULL);
  g_assert_false (json_object_get_boolean_member (get_call (f, call_path, &node), "recording"));

  /* On, off by toggling, on: 2 s each; every change is announced on /ws. */
  g_assert_true (post_record (f, record_path, "{\"record\": true}"));
  g_assert_nonnull (headless_wait_event (j, &from, "call", recording_event, GINT_TO_POINTER (TRUE), 5000));
  sip_lab_spin (2000);
  g_assert_false (post_record (f, record_path, NULL));
  g_assert_nonnull (headless_wait_event (j, &from, "call", recording_event, GINT_TO_POINTER (FALSE), 5000));
  g_assert_false (json_object_get_boolean_member (get_call (f, call_path, &node), "recording"));
  g_assert_false (post_record (f, record_path, "{\"record\": false}"));
  sip_lab_spin (2000);
  g_assert_true (post_record (f, record_path, "{}"));
  sip_lab_spin (2000);

  obj = get_call (f, call_path, &node);
  history_id = json_object_get_int_member (obj, "history_id");
  g_assert_cmpint (history_id, >, 0);
  g_assert_cmpuint (headless_http (j, "POST", hangup_path, NULL, &r), ==, 200);
  w.state = "ended";
  g_assert_true (sip_lab_wait (api_state_is, &w, 15000));

  /* The ended call stays readable, in its final state, and refuses actions. */
  sip_lab_spin (500);
  obj = get_call (f, call_path, &node);
  g_assert_cmpstr (json_object_get_string_member (obj, "state"), ==, "ended");
  g_assert_cmpstr (json_object_get_string_member (obj, "end_reason"), ==, "hung up");
  g_assert_false (json_object_get_null_member (obj, "ended_at"));
  g_assert_true (json_object_get_boolean_member (obj, "recording"));
  g_assert_cmpint (json_object_get_int_member (obj, "history_id"), ==, history_id);
  headless_expect_error (j, "POST", hangup_path, NULL, 409, "invalid_state");
  headless_expect_error (j, "POST", record_path, "{\"record\": true}", 409, "invalid_state");
  g_assert_cmpuint (headless_http (j, "GET", "/api/calls/active", NULL, &r), ==, 200);
  g_assert_cmpint (json_object_get_int_member (headless_json (&r, &node), "total"), ==, 0);
  headless_expect_error (j, "GET", "/api/calls/99999", NULL, 404, "not_found");

  /* One private file, with the peer's tone, a silent middle, the tone again. */
  dir = g_dir_open (rec_dir, 0, NULL);
  g_assert_nonnull (dir);
  name = g_dir_read_name (dir);
  g_assert_nonnull (name);
  g_assert_null (g_dir_read_name (dir));
  {
    g_autofree char *file = g_build_filename (rec_dir, name, NULL);
    assert_private (file);
  }
  recording_url = g_strdup_printf ("/api/history/%" G_GINT64_FORMAT "/recording", history_id);
  g_assert_cmpuint (headless_http (j, "GET", recording_url, NULL, &r), ==, 200);
  g_assert_true (g_file_set_contents (ogg, r.body, (gssize) r.len, NULL));
  decode_recording (ogg, wav_path, &wav_data, &wav);
  g_test_message ("recording: %.2f s", wav.n_samples / 8000.0);
  g_assert_cmpfloat (wav.n_samples / 8000.0, >=, 5.5);
  assert_span (&wav, 0, 2, TRUE, peer, 1);
  assert_span (&wav, 2, 4, FALSE, peer, 1);
  assert_span (&wav, 4, 6, TRUE, peer, 1);

  headless_reply_clear (&r);
  headless_stop (j);
}

int
main (int    argc,
      char **argv)
{
  call_fixture_test_init (&argc, &argv, 600);

  g_test_add ("/call-record/manager-toggle", Fixture, GUINT_TO_POINTER (60), fixture_setup,
              test_manager_toggle, fixture_teardown);
  g_test_add ("/call-record/api-record-and-ended", ApiFixture, GUINT_TO_POINTER (90), api_setup,
              test_api_record_and_ended, api_teardown);
  return g_test_run ();
}
