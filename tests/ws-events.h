/* Test helper: the events of one /ws message, a batch split into its events. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

/* The server sends events that came close together as {"type": "batch", "events": [...]};
 * tests look at events, so each becomes its own node, oldest first. */
static inline GPtrArray *
ws_events_split (GBytes *message)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  JsonObject *object;
  JsonArray *batch;

  g_assert_nonnull (node);
  object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (object == NULL || g_strcmp0 (json_object_get_string_member_with_default (object, "type", ""), "batch") != 0)
    {
      g_ptr_array_add (events, g_steal_pointer (&node));
      return events;
    }
  batch = json_object_get_array_member (object, "events");
  g_assert_nonnull (batch);
  /* A single event is never wrapped. */
  g_assert_cmpuint (json_array_get_length (batch), >=, 2);
  for (guint i = 0; i < json_array_get_length (batch); i++)
    {
      JsonNode *event = json_array_get_element (batch, i);

      g_assert_true (JSON_NODE_HOLDS_OBJECT (event));
      g_assert_true (json_object_has_member (json_node_get_object (event), "ts"));
      g_ptr_array_add (events, json_node_copy (event));
    }
  return events;
}
