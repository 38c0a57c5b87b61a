/* JarchiWebClient: one dashboard WebSocket peer and the bounded queue of events it has not taken yet. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-web-server-private.h"

/*
 * libsoup queues every frame it is given, without limit and without telling how much
 * waits. So events are handed to libsoup only while the socket can take more; the rest
 * wait here, where they are counted, and a peer that lets too many pile up is dropped
 * instead of growing the server's memory and slowing every broadcast.
 */
struct _JarchiWebClient
{
  SoupWebsocketConnection *conn;
  GPollableOutputStream   *output;
  GQueue                   pending;        /* Pending */
  guint                    pending_events;
  gsize                    pending_bytes;
  GSource                 *writable_source;
};

/* One message not handed to libsoup yet, and how many events it carries (a batch has several). */
typedef struct {
  GBytes *bytes;
  guint   n_events;
} Pending;

static void flush (JarchiWebClient *client);

static void
pending_free (Pending *pending)
{
  g_bytes_unref (pending->bytes);
  g_free (pending);
}

JarchiWebClient *
jarchi_web_client_new (SoupWebsocketConnection *conn)
{
  JarchiWebClient *client = g_new0 (JarchiWebClient, 1);
  GOutputStream *out = g_io_stream_get_output_stream (soup_websocket_connection_get_io_stream (conn));

  client->conn = g_object_ref (conn);
  /* libsoup itself requires a pollable stream here, so this holds for plain and TLS sockets. */
  client->output = G_POLLABLE_OUTPUT_STREAM (g_object_ref (out));
  g_queue_init (&client->pending);
  return client;
}

static void
stop_waiting (JarchiWebClient *client)
{
  if (client->writable_source != NULL)
    {
      g_source_destroy (client->writable_source);
      g_clear_pointer (&client->writable_source, g_source_unref);
    }
}

void
jarchi_web_client_discard (JarchiWebClient *client)
{
  g_return_if_fail (client != NULL);

  stop_waiting (client);
  g_queue_clear_full (&client->pending, (GDestroyNotify) pending_free);
  client->pending_events = 0;
  client->pending_bytes = 0;
}

void
jarchi_web_client_free (JarchiWebClient *client)
{
  if (client == NULL)
    return;
  jarchi_web_client_discard (client);
  g_clear_object (&client->output);
  g_clear_object (&client->conn);
  g_free (client);
}

SoupWebsocketConnection *
jarchi_web_client_get_connection (JarchiWebClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);
  return client->conn;
}

guint
jarchi_web_client_get_n_pending (JarchiWebClient *client)
{
  g_return_val_if_fail (client != NULL, 0);
  return client->pending_events;
}

static gboolean
on_writable (GObject *stream, gpointer user_data)
{
  JarchiWebClient *client = user_data;

  /* Returning REMOVE destroys the source; only our reference is left to drop. */
  g_clear_pointer (&client->writable_source, g_source_unref);
  flush (client);
  return G_SOURCE_REMOVE;
}

static void
wait_for_writable (JarchiWebClient *client)
{
  if (client->writable_source != NULL)
    return;
  client->writable_source = g_pollable_output_stream_create_source (client->output, NULL);
  g_source_set_static_name (client->writable_source, "JarchiWebClient writable");
  g_source_set_callback (client->writable_source, G_SOURCE_FUNC (on_writable), client, NULL);
  g_source_attach (client->writable_source, g_main_context_get_thread_default ());
}

static gboolean
is_open (JarchiWebClient *client)
{
  return soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN;
}

static void
flush (JarchiWebClient *client)
{
  while (!g_queue_is_empty (&client->pending))
    {
      Pending *next;

      if (!is_open (client))
        {
          jarchi_web_client_discard (client);
          return;
        }
      /* libsoup writes what it is given at once as far as the socket allows; once the
       * socket is full, what is left of a frame stays with it and the rest waits here. */
      if (!g_pollable_output_stream_is_writable (client->output))
        {
          wait_for_writable (client);
          return;
        }
      next = g_queue_pop_head (&client->pending);
      client->pending_events -= next->n_events;
      client->pending_bytes -= g_bytes_get_size (next->bytes);
      soup_websocket_connection_send_message (client->conn, SOUP_WEBSOCKET_DATA_TEXT, next->bytes);
      pending_free (next);
    }
}

gboolean
jarchi_web_client_send (JarchiWebClient *client, GBytes *message, guint n_events,
                        guint max_events, gsize max_bytes)
{
  Pending *pending;

  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (!is_open (client))
    return TRUE;

  pending = g_new (Pending, 1);
  pending->bytes = g_bytes_ref (message);
  pending->n_events = n_events;
  g_queue_push_tail (&client->pending, pending);
  client->pending_events += n_events;
  client->pending_bytes += g_bytes_get_size (message);
  if (client->pending_events > max_events || client->pending_bytes > max_bytes)
    return FALSE;
  if (client->writable_source == NULL)
    flush (client);
  return TRUE;
}
