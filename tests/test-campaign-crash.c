/* Crash safety: a campaign against SIPp answerers run by a child process that is killed with SIGKILL at random moments, 20 times, then finishes; the final table must be exact. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include "campaign-test-utils.h"
#include "campaign/campaign-lab.h"
#include "jarchi-broadcast-dialer.h"
#include "jarchi-call-history.h"

#define KILLS      20
#define CHILD_ROOT "JARCHI_CAMPAIGN_CHILD_ROOT"
#define CHILD_PORT "JARCHI_CAMPAIGN_CHILD_KAMAILIO"
#define CHILD_NO_START 2

static const struct {
  const char *phone;
  const char *peer;
  const char *result;
} plan[] = {
  { "1001", "rfc1", "confirmed" },
  { "1002", "rfc1", "confirmed" },
  { "1003", "rfc21", "confirmed" },
  { "1004", "info", "confirmed" },
  { "1005", "heard", "heard" },
  { "1006", "heard", "heard" },
  { "1007", "busy", "busy" },
  { "1008", "busy", "busy" },
  { "1009", "hangup", "hung-up" },
  { "1010", "hangup", "hung-up" },
  { "1011", "optout", "opted-out" },
  { "1012", "rfc1", "confirmed" },
};

/* ---- the child: what `jarchi --headless` does for campaigns, until killed or done ------- */

static int
run_child (const char *root, guint kport)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (root, "jarchi.db", NULL);
  g_autofree char *media_dir = g_build_filename (root, "media", NULL);
  g_autofree char *aor = g_strdup_printf ("sip:jarchi@127.0.0.1:%u", kport);
  g_autoptr(JarchiStore) store = NULL;
  g_autoptr(JarchiMediaLibrary) library = NULL;
  g_autoptr(JarchiCallManager) manager = NULL;
  g_autoptr(JarchiCallHistory) history = NULL;
  g_autoptr(JarchiAccount) account = NULL;
  g_autoptr(JarchiBroadcastDialer) dialer = NULL;
  g_autoptr(JarchiCampaignStore) campaigns = NULL;
  g_autoptr(JarchiCampaignRunner) runner = NULL;
  JarchiCampaign *campaign;
  gint64 deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;

  if ((store = jarchi_store_open (db, &error)) == NULL
      || (library = jarchi_media_library_new (store, media_dir, &error)) == NULL
      || (manager = jarchi_call_manager_new ("127.0.0.1", 0, root, &error)) == NULL
      || (campaigns = jarchi_campaign_store_new (store, &error)) == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      /* A SIP start that timed out leaves its thread running: exit() would pull OpenSSL
       * away from under it. */
      _exit (CHILD_NO_START);
    }
  history = jarchi_call_history_new (store, manager);
  account = jarchi_account_new (1, aor);
  if (!jarchi_call_manager_add_account (manager, account, &error))
    {
      g_printerr ("child: %s\n", error->message);
      return 4;
    }
  runner = jarchi_campaign_runner_new (campaigns);
  if (!jarchi_campaign_runner_recover (runner, &error))
    {
      g_printerr ("child: %s\n", error->message);
      return 4;
    }
  /* The product's dialer (jarchi_service_new_full ()): libre RTP, no pipeline per call. */
  dialer = jarchi_broadcast_dialer_new (manager, library);
  jarchi_campaign_runner_set_dialer (runner, JARCHI_CAMPAIGN_DIALER (dialer));

  campaign = jarchi_campaign_store_lookup (campaigns, 1);
  while (jarchi_campaign_get_state (campaign) != JARCHI_CAMPAIGN_STATE_COMPLETED
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_clear_object (&runner);
  g_clear_object (&dialer);
  jarchi_call_manager_shutdown (manager);
  return jarchi_campaign_get_state (campaign) == JARCHI_CAMPAIGN_STATE_COMPLETED ? 0 : 3;
}

/* ---- the parent -------------------------------------------------------------------------- */

static GPid
spawn_child (SipLab *lab, guint kport, int log_fd)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *port = g_strdup_printf ("%u", kport);
  char *argv[] = { (char *) "/proc/self/exe", NULL };
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  GPid pid = 0;

  argv[0] = exe;
  env = g_environ_setenv (env, CHILD_ROOT, lab->root, TRUE);
  env = g_environ_setenv (env, CHILD_PORT, port, TRUE);
  g_assert_true (g_spawn_async_with_fds (NULL, argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                         -1, log_fd, log_fd, &error));
  g_assert_no_error (error);
  return pid;
}

/* Exit status, or -1 while it runs. */
static int
child_status (GPid pid, gboolean block)
{
  int status = 0;
  pid_t r = waitpid (pid, &status, block ? 0 : WNOHANG);

  if (r == 0)
    return -1;
  g_assert_cmpint (r, ==, pid);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

static void
test_kill_resume (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) ports = NULL;
  g_autoptr(JarchiStore) store = NULL;
  g_autoptr(JarchiMediaLibrary) library = NULL;
  g_autoptr(JarchiMedia) media = NULL;
  g_autoptr(JarchiCampaignStore) campaigns = NULL;
  g_autoptr(JarchiCampaign) campaign = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) load_node = NULL;
  g_autofree char *db = NULL, *media_dir = NULL, *wav = NULL, *json = NULL, *log = NULL, *load = NULL;
  JsonObject *invites;
  SipLab *lab;
  guint kport, kills = 0;
  int log_fd, status;
  GPid pid;

  if (!campaign_lab_have_tools ())
    return;
  lab = sip_lab_new (280);
  kport = sip_lab_kamailio (lab, "kam", FALSE);
  ports = campaign_lab_start_peers (lab);
  for (gsize i = 0; i < G_N_ELEMENTS (plan); i++)
    campaign_lab_route (lab, ports, plan[i].phone, plan[i].peer);

  db = g_build_filename (lab->root, "jarchi.db", NULL);
  store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  test_seed (store, G_N_ELEMENTS (plan));
  test_exec (store, "DELETE FROM media");
  media_dir = g_build_filename (lab->root, "media", NULL);
  library = jarchi_media_library_new (store, media_dir, &error);
  g_assert_no_error (error);
  wav = g_build_filename (lab->root, "message.wav", NULL);
  g_assert_cmpint (sip_lab_sh (lab, NULL, "sox -q -n -r 8000 -c 1 -b 16 '%s' synth 3 sine 440 vol 0.5", wav), ==, 0);
  media = jarchi_media_library_import_file (library, wav, "drill", &error);
  g_assert_no_error (error);

  /* Interruptions count against the failed rule: allow the most there is (20), so every
   * target still ends the way its answerer behaves; a kill cuts at most one attempt per
   * target, so 20 kills leave each at least its last attempt. */
  json = g_strdup_printf ("{\"name\": \"crash\", \"account\": 1, \"targets\": {\"departments\": [1, 2]},"
                          " \"message\": {\"media\": %" G_GINT64_FORMAT "},"
                          " \"menu\": {\"confirm\": \"1\", \"repeat\": \"2\", \"opt_out\": \"9\", \"timeout_s\": 2},"
                          " \"max_concurrent\": 4, \"cps\": 10, \"ring_timeout_s\": 5,"
                          " \"retries\": {\"busy\": {\"count\": 1, \"delay_s\": 0}, \"no_answer\": {\"count\": 0, \"delay_s\": 0},"
                          "             \"failed\": {\"count\": 20, \"delay_s\": 0}, \"unconfirmed\": {\"count\": 0, \"delay_s\": 0}}}",
                          media->id);
  node = json_from_string (json, NULL);
  campaigns = jarchi_campaign_store_new (store, &error);
  campaign = jarchi_campaign_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (jarchi_campaign_store_add (campaigns, campaign, &error));
  g_assert_cmpint (jarchi_campaign_get_id (campaign), ==, 1);
  g_assert_true (jarchi_campaign_store_start (campaigns, campaign, JARCHI_CAMPAIGN_STATE_RUNNING,
                                              g_get_real_time () / G_USEC_PER_SEC, NULL, &error));
  g_clear_object (&campaign);
  g_clear_object (&campaigns);
  g_clear_object (&library);
  g_clear_object (&store);

  log = g_build_filename (lab->root, "children.log", NULL);
  log_fd = open (log, O_WRONLY | O_CREAT | O_APPEND, 0600);
  g_assert_cmpint (log_fd, >=, 0);
  for (int k = 0, no_start = 0; k < KILLS; k++)
    {
      /* From before the first call leaves to past the first confirmations (about 3 s in):
       * every batch of calls is cut short a few times, and then gets through. */
      guint ms = (guint) g_test_rand_int_range (500, 5000);

      pid = spawn_child (lab, kport, log_fd);
      g_usleep (ms * 1000);
      status = child_status (pid, FALSE);
      if (status >= 0)
        {
          g_spawn_close_pid (pid);
          /* A loaded machine may fail to start SIP in time: not a kill, try again. */
          if (status == CHILD_NO_START && ++no_start <= 5)
            {
              k--;
              continue;
            }
          g_assert_cmpint (status, ==, 0);
          break;  /* it finished the campaign before we got to kill it */
        }
      kill (pid, SIGKILL);
      g_assert_cmpint (child_status (pid, TRUE), ==, 128 + SIGKILL);
      g_spawn_close_pid (pid);
      kills++;
    }
  g_test_message ("killed %u times", kills);

  /* the last one finishes by itself (a loaded machine may fail to start SIP in time: retry) */
  for (int tries = 0; tries < 5; tries++)
    {
      pid = spawn_child (lab, kport, log_fd);
      status = child_status (pid, TRUE);
      g_spawn_close_pid (pid);
      if (status != CHILD_NO_START)
        break;
    }
  close (log_fd);
  if (status != 0)
    {
      g_autofree char *tail = NULL;

      (void) sip_lab_sh (lab, &tail, "tail -n 20 '%s'", log);
      g_test_message ("children's log:\n%s", tail);
    }
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (kills, >=, 10);

  store = jarchi_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sip_lab_sh (lab, &load, "python3 '%s/tests/campaign/sipp-load.py' \"$ROOT\" 1 0",
                               sip_lab_source ()), ==, 0);
  load_node = json_from_string (load, NULL);
  invites = json_object_get_object_member (json_node_get_object (load_node), "invites");
  {
    g_autofree char *state = test_query_text (store, "SELECT state FROM campaigns WHERE id = 1");

    g_assert_cmpstr (state, ==, "completed");
  }
  g_test_message ("%" G_GINT64_FORMAT " attempts, %" G_GINT64_FORMAT " of them interrupted",
                  test_query_int (store, "SELECT COUNT(*) FROM campaign_attempts"),
                  test_query_int (store, "SELECT COUNT(*) FROM campaign_attempts WHERE state = 'interrupted'"));
  g_assert_cmpint (test_query_int (store, "SELECT COUNT(*) FROM campaign_attempts WHERE state NOT IN ('ended', 'interrupted')"), ==, 0);
  /* every attempt has its history row, and the history writer added none of its own */
  g_assert_cmpint (test_query_int (store, "SELECT COUNT(*) FROM calls WHERE attempt_id IS NULL"), ==, 0);
  g_assert_cmpint (test_query_int (store, "SELECT COUNT(*) FROM calls"), ==,
                   test_query_int (store, "SELECT COUNT(*) FROM campaign_attempts"));

  for (gsize i = 0; i < G_N_ELEMENTS (plan); i++)
    {
      g_autofree char *sql = NULL;
      g_autofree char *result = NULL;
      gint64 attempts, rows, sent;

      sql = g_strdup_printf ("SELECT result FROM campaign_targets WHERE phone = '%s'", plan[i].phone);
      result = test_query_text (store, sql);
      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf ("SELECT attempts FROM campaign_targets WHERE phone = '%s'", plan[i].phone);
      attempts = test_query_int (store, sql);
      g_clear_pointer (&sql, g_free);
      sql = g_strdup_printf ("SELECT COUNT(*) FROM campaign_attempts a JOIN campaign_targets t ON t.id = a.target_id "
                             "WHERE t.phone = '%s'", plan[i].phone);
      rows = test_query_int (store, sql);
      sent = json_object_get_int_member_with_default (invites, plan[i].phone, 0);
      g_test_message ("%s: %s after %" G_GINT64_FORMAT " attempts, %" G_GINT64_FORMAT " INVITEs reached SIPp",
                      plan[i].phone, result, attempts, sent);

      /* the result its answerer makes, however often the process died */
      g_assert_cmpstr (result, ==, plan[i].result);
      /* each attempt counted once, and every call that went out is one SQLite knows about */
      g_assert_cmpint (attempts, ==, rows);
      g_assert_cmpint (sent, <=, attempts);
      g_assert_cmpint (sent, >=, 1);
      /* never called again once it had its final answer */
      if (g_str_equal (plan[i].result, "confirmed") || g_str_equal (plan[i].result, "opted-out")
          || g_str_equal (plan[i].result, "heard") || g_str_equal (plan[i].result, "hung-up"))
        {
          g_clear_pointer (&sql, g_free);
          sql = g_strdup_printf ("SELECT COUNT(*) FROM campaign_attempts a JOIN campaign_targets t ON t.id = a.target_id "
                                 "WHERE t.phone = '%s' AND a.result = '%s' AND a.number = t.attempts",
                                 plan[i].phone, plan[i].result);
          g_assert_cmpint (test_query_int (store, sql), ==, 1);
        }
    }
  g_clear_object (&store);
  sip_lab_free (lab);
}

int
main (int argc, char *argv[])
{
  const char *child_root = g_getenv (CHILD_ROOT);

  /* No sound card: the message is all the callee hears, and what they send goes nowhere. */
  g_setenv ("JARCHI_AUDIOSRC", "audiotestsrc wave=silence is-live=true", FALSE);
  g_setenv ("JARCHI_AUDIOSINK", "fakesink sync=false", FALSE);
  if (child_root != NULL)
    return run_child (child_root, (guint) g_ascii_strtoull (g_getenv (CHILD_PORT), NULL, 10));

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/campaign-crash/kill-resume", test_kill_resume);
  return g_test_run ();
}
