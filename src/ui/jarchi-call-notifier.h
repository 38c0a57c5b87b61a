/* JarchiCallNotifier: a desktop notification for each call ringing here, with Answer and Decline buttons; do not disturb. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "jarchi-call-manager.h"
#include "jarchi-contact-book.h"

G_BEGIN_DECLS

#define JARCHI_TYPE_CALL_NOTIFIER (jarchi_call_notifier_get_type ())
G_DECLARE_FINAL_TYPE (JarchiCallNotifier, jarchi_call_notifier, JARCHI, CALL_NOTIFIER, GObject)

/* Sends and withdraws notifications through APP (not referenced: the application owns the
 * notifier).  The buttons activate app.answer and app.decline with the call id (uint32) as
 * target; the notification is withdrawn once the call is answered (here or elsewhere),
 * declined or ended, and when the notifier goes away. */
JarchiCallNotifier *jarchi_call_notifier_new (GApplication      *app,
                                              JarchiCallManager *manager,
                                              JarchiContactBook *book);

/* Do not disturb: while on, a call that starts ringing is turned down at once with 486 Busy
 * Here and the end reason "do not disturb" (so History says why), without a notification;
 * outgoing and campaign calls are not concerned.  Also the "do-not-disturb" property. */
void                jarchi_call_notifier_set_do_not_disturb (JarchiCallNotifier *self,
                                                             gboolean            do_not_disturb);
gboolean            jarchi_call_notifier_get_do_not_disturb (JarchiCallNotifier *self);
/* TRUE for a call that do not disturb turned down. */
gboolean            jarchi_call_notifier_is_refused         (JarchiCall         *call);

/* "incoming-call-ID", the GNotification id used for call ID. */
char               *jarchi_call_notifier_dup_notification_id (guint call_id);

G_END_DECLS
