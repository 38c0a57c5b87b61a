/* JarchiContact: a contact as a GObject with notifying properties, plus its JSON form for the API. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "jarchi-config.h"

#include <glib/gi18n-lib.h>

#include "jarchi-contact.h"
#include "jarchi-error.h"
#include "jarchi-phone.h"

struct _JarchiContact
{
  GObject   parent_instance;
  gint64    id;
  char     *name;
  char     *phone;
  char     *department;
  gint64    department_id;
  char     *district;
  gint64    district_id;
  char     *position;
  char     *note;
  gboolean  active;
  gboolean  do_not_call;
};

G_DEFINE_FINAL_TYPE (JarchiContact, jarchi_contact, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_PHONE,
  PROP_DEPARTMENT,
  PROP_DEPARTMENT_ID,
  PROP_DISTRICT,
  PROP_DISTRICT_ID,
  PROP_POSITION,
  PROP_NOTE,
  PROP_ACTIVE,
  PROP_DO_NOT_CALL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_string (JarchiContact *self, char **field, const char *value, guint prop)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (JarchiContact *self, gint64 *field, gint64 value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_boolean (JarchiContact *self, gboolean *field, gboolean value, guint prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
jarchi_contact_finalize (GObject *object)
{
  JarchiContact *self = JARCHI_CONTACT (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->department, g_free);
  g_clear_pointer (&self->district, g_free);
  g_clear_pointer (&self->position, g_free);
  g_clear_pointer (&self->note, g_free);

  G_OBJECT_CLASS (jarchi_contact_parent_class)->finalize (object);
}

static void
jarchi_contact_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  JarchiContact *self = JARCHI_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_PHONE: g_value_set_string (value, self->phone); break;
    case PROP_DEPARTMENT: g_value_set_string (value, self->department); break;
    case PROP_DEPARTMENT_ID: g_value_set_int64 (value, self->department_id); break;
    case PROP_DISTRICT: g_value_set_string (value, self->district); break;
    case PROP_DISTRICT_ID: g_value_set_int64 (value, self->district_id); break;
    case PROP_POSITION: g_value_set_string (value, self->position); break;
    case PROP_NOTE: g_value_set_string (value, self->note); break;
    case PROP_ACTIVE: g_value_set_boolean (value, self->active); break;
    case PROP_DO_NOT_CALL: g_value_set_boolean (value, self->do_not_call); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
jarchi_contact_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  JarchiContact *self = JARCHI_CONTACT (object);

  switch (prop_id)
    {
    case PROP_ID: jarchi_contact_set_id (self, g_value_get_int64 (value)); break;
    case PROP_NAME: jarchi_contact_set_name (self, g_value_get_string (value)); break;
    case PROP_PHONE: jarchi_contact_set_phone (self, g_value_get_string (value)); break;
    case PROP_DEPARTMENT: jarchi_contact_set_department (self, g_value_get_string (value)); break;
    case PROP_DEPARTMENT_ID: jarchi_contact_set_department_id (self, g_value_get_int64 (value)); break;
    case PROP_DISTRICT: jarchi_contact_set_district (self, g_value_get_string (value)); break;
    case PROP_DISTRICT_ID: jarchi_contact_set_district_id (self, g_value_get_int64 (value)); break;
    case PROP_POSITION: jarchi_contact_set_position (self, g_value_get_string (value)); break;
    case PROP_NOTE: jarchi_contact_set_note (self, g_value_get_string (value)); break;
    case PROP_ACTIVE: jarchi_contact_set_active (self, g_value_get_boolean (value)); break;
    case PROP_DO_NOT_CALL: jarchi_contact_set_do_not_call (self, g_value_get_boolean (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_pspec (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, "",
                              G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static GParamSpec *
id_pspec (const char *name)
{
  /* 0 means "not stored yet" for the contact and "none" for its groups. */
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
}

static void
jarchi_contact_class_init (JarchiContactClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = jarchi_contact_finalize;
  object_class->get_property = jarchi_contact_get_property;
  object_class->set_property = jarchi_contact_set_property;

  properties[PROP_ID] = id_pspec ("id");
  properties[PROP_NAME] = string_pspec ("name");
  properties[PROP_PHONE] = string_pspec ("phone");
  properties[PROP_DEPARTMENT] = string_pspec ("department");
  properties[PROP_DEPARTMENT_ID] = id_pspec ("department-id");
  properties[PROP_DISTRICT] = string_pspec ("district");
  properties[PROP_DISTRICT_ID] = id_pspec ("district-id");
  properties[PROP_POSITION] = string_pspec ("position");
  properties[PROP_NOTE] = string_pspec ("note");
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DO_NOT_CALL] =
    g_param_spec_boolean ("do-not-call", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
jarchi_contact_init (JarchiContact *self)
{
  self->name = g_strdup ("");
  self->phone = g_strdup ("");
  self->department = g_strdup ("");
  self->district = g_strdup ("");
  self->position = g_strdup ("");
  self->note = g_strdup ("");
  self->active = TRUE;
}

JarchiContact *
jarchi_contact_new (void)
{
  return g_object_new (JARCHI_TYPE_CONTACT, NULL);
}

JarchiContact *
jarchi_contact_copy (JarchiContact *self)
{
  JarchiContact *copy;

  g_return_val_if_fail (JARCHI_IS_CONTACT (self), NULL);

  copy = jarchi_contact_new ();
  jarchi_contact_update_from (copy, self);
  return copy;
}

/**
 * jarchi_contact_update_from:
 *
 * Copies every field of @other into @self, notifying only what changed, so a
 * list row bound to @self redraws just the parts that moved.
 */
void
jarchi_contact_update_from (JarchiContact *self, JarchiContact *other)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  g_return_if_fail (JARCHI_IS_CONTACT (other));

  g_object_freeze_notify (G_OBJECT (self));
  jarchi_contact_set_id (self, other->id);
  jarchi_contact_set_name (self, other->name);
  jarchi_contact_set_phone (self, other->phone);
  jarchi_contact_set_department (self, other->department);
  jarchi_contact_set_department_id (self, other->department_id);
  jarchi_contact_set_district (self, other->district);
  jarchi_contact_set_district_id (self, other->district_id);
  jarchi_contact_set_position (self, other->position);
  jarchi_contact_set_note (self, other->note);
  jarchi_contact_set_active (self, other->active);
  jarchi_contact_set_do_not_call (self, other->do_not_call);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
jarchi_contact_equal (JarchiContact *a, JarchiContact *b)
{
  g_return_val_if_fail (JARCHI_IS_CONTACT (a), FALSE);
  g_return_val_if_fail (JARCHI_IS_CONTACT (b), FALSE);

  return a->id == b->id &&
         g_str_equal (a->name, b->name) &&
         g_str_equal (a->phone, b->phone) &&
         g_str_equal (a->department, b->department) &&
         a->department_id == b->department_id &&
         g_str_equal (a->district, b->district) &&
         a->district_id == b->district_id &&
         g_str_equal (a->position, b->position) &&
         g_str_equal (a->note, b->note) &&
         a->active == b->active &&
         a->do_not_call == b->do_not_call;
}

static void
add_group (JsonBuilder *b, const char *member, gint64 id, const char *id_member, const char *name)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, id_member);
  if (id > 0)
    json_builder_add_int_value (b, id);
  else
    json_builder_add_null_value (b);
}

/**
 * jarchi_contact_to_json:
 *
 * Returns: (transfer full): the contact as the API shows it: id, name, phone,
 *   department, department_id (null when none), district, district_id,
 *   position, note, active, do_not_call.
 */
JsonNode *
jarchi_contact_to_json (JarchiContact *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (JARCHI_IS_CONTACT (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, self->id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, self->name);
  json_builder_set_member_name (b, "phone");
  json_builder_add_string_value (b, self->phone);
  add_group (b, "department", self->department_id, "department_id", self->department);
  add_group (b, "district", self->district_id, "district_id", self->district);
  json_builder_set_member_name (b, "position");
  json_builder_add_string_value (b, self->position);
  json_builder_set_member_name (b, "note");
  json_builder_add_string_value (b, self->note);
  json_builder_set_member_name (b, "active");
  json_builder_add_boolean_value (b, self->active);
  json_builder_set_member_name (b, "do_not_call");
  json_builder_add_boolean_value (b, self->do_not_call);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * jarchi_text_clean_line:
 *
 * Returns: (transfer full): @text in NFC with every run of white space
 *   (newlines included) turned into one space and the ends trimmed.
 */
char *
jarchi_text_clean_line (const char *text)
{
  g_autofree char *nfc = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_DEFAULT_COMPOSE);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  if (nfc == NULL)
    return g_strdup ("");

  for (const char *p = nfc; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F)
        {
          space = out->len > 0;
          continue;
        }
      if (g_unichar_iscntrl (c))
        continue;
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * jarchi_text_fold:
 *
 * Returns: (transfer full): @text made comparable for searching and header
 *   matching: compatibility-normalised, case-folded, and with the apostrophe
 *   look-alikes Uzbek Latin is written with (ʻ ʼ ‘ ’ ` ´) turned into '.
 */
char *
jarchi_text_fold (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_ALL_COMPOSE);
  g_autofree char *folded = g_utf8_casefold (nfkc ? nfkc : "", -1);
  g_autoptr(GString) out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x02BB || c == 0x02BC || c == 0x2018 || c == 0x2019 || c == '`' || c == 0x00B4)
        g_string_append_c (out, '\'');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
clean_note (const char *text)
{
  g_autofree char *nfc = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_DEFAULT_COMPOSE);
  g_auto(GStrv) lines = NULL;

  if (nfc == NULL)
    return g_strdup ("");
  /* Keep the note's line breaks, but only as \n, and without trailing blanks. */
  lines = g_strsplit (g_strstrip (nfc), "\n", -1);
  for (char **l = lines; *l; l++)
    g_strchomp (*l);
  return g_strjoinv ("\n", lines);
}

typedef struct {
  const char *text;
  glong       max;
  const char *message;  /* a format taking the maximum */
} LengthCheck;

/**
 * jarchi_contact_normalize:
 *
 * Brings @self into the form Jarchi stores: the phone normalised (see
 * jarchi-phone.h), names and single-line fields trimmed with inner white space
 * collapsed, text in NFC. Fails, leaving @self partly cleaned, when the name is
 * missing, the phone is not a phone number, or a field is too long; the
 * message says which, in words fit for an import report.
 */
gboolean
jarchi_contact_normalize (JarchiContact *self, GError **error)
{
  g_autofree char *name = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *department = NULL;
  g_autofree char *district = NULL;
  g_autofree char *position = NULL;
  g_autofree char *note = NULL;

  g_return_val_if_fail (JARCHI_IS_CONTACT (self), FALSE);

  for (const char * const *s = (const char * const[]) { self->name, self->department, self->district,
                                                       self->position, self->note, NULL }; *s; s++)
    if (!g_utf8_validate (*s, -1, NULL))
      {
        g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                             _("the text is not valid UTF-8"));
        return FALSE;
      }

  name = jarchi_text_clean_line (self->name);
  department = jarchi_text_clean_line (self->department);
  district = jarchi_text_clean_line (self->district);
  position = jarchi_text_clean_line (self->position);
  note = clean_note (self->note);

  g_object_freeze_notify (G_OBJECT (self));
  jarchi_contact_set_name (self, name);
  jarchi_contact_set_department (self, department);
  jarchi_contact_set_district (self, district);
  jarchi_contact_set_position (self, position);
  jarchi_contact_set_note (self, note);
  g_object_thaw_notify (G_OBJECT (self));

  if (name[0] == '\0')
    {
      g_set_error_literal (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                           _("the name is missing"));
      return FALSE;
    }
  {
    const LengthCheck checks[] = {
      { name, JARCHI_CONTACT_MAX_TEXT, N_("the name is longer than %ld characters") },
      { department, JARCHI_CONTACT_MAX_TEXT, N_("the department is longer than %ld characters") },
      { district, JARCHI_CONTACT_MAX_TEXT, N_("the district is longer than %ld characters") },
      { position, JARCHI_CONTACT_MAX_TEXT, N_("the position is longer than %ld characters") },
      { note, JARCHI_CONTACT_MAX_NOTE, N_("the note is longer than %ld characters") },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (checks); i++)
      if (g_utf8_strlen (checks[i].text, -1) > checks[i].max)
        {
          g_set_error (error, JARCHI_ERROR, JARCHI_ERROR_INVALID_ARGUMENT,
                       _(checks[i].message), checks[i].max);
          return FALSE;
        }
  }

  phone = jarchi_phone_normalize (self->phone, error);
  if (phone == NULL)
    return FALSE;
  jarchi_contact_set_phone (self, phone);
  return TRUE;
}

#define GETTER(type, field, fallback)                                     \
  type jarchi_contact_get_##field (JarchiContact *self)                   \
  {                                                                       \
    g_return_val_if_fail (JARCHI_IS_CONTACT (self), fallback);            \
    return self->field;                                                   \
  }

GETTER (gint64, id, 0)
GETTER (const char *, name, NULL)
GETTER (const char *, phone, NULL)
GETTER (const char *, department, NULL)
GETTER (gint64, department_id, 0)
GETTER (const char *, district, NULL)
GETTER (gint64, district_id, 0)
GETTER (const char *, position, NULL)
GETTER (const char *, note, NULL)
GETTER (gboolean, active, FALSE)
GETTER (gboolean, do_not_call, FALSE)

#undef GETTER

void
jarchi_contact_set_id (JarchiContact *self, gint64 id)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_int64 (self, &self->id, MAX (id, 0), PROP_ID);
}

void
jarchi_contact_set_name (JarchiContact *self, const char *name)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_string (self, &self->name, name, PROP_NAME);
}

void
jarchi_contact_set_phone (JarchiContact *self, const char *phone)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_string (self, &self->phone, phone, PROP_PHONE);
}

void
jarchi_contact_set_department (JarchiContact *self, const char *department)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_string (self, &self->department, department, PROP_DEPARTMENT);
}

void
jarchi_contact_set_department_id (JarchiContact *self, gint64 department_id)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_int64 (self, &self->department_id, MAX (department_id, 0), PROP_DEPARTMENT_ID);
}

void
jarchi_contact_set_district (JarchiContact *self, const char *district)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_string (self, &self->district, district, PROP_DISTRICT);
}

void
jarchi_contact_set_district_id (JarchiContact *self, gint64 district_id)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_int64 (self, &self->district_id, MAX (district_id, 0), PROP_DISTRICT_ID);
}

void
jarchi_contact_set_position (JarchiContact *self, const char *position)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_string (self, &self->position, position, PROP_POSITION);
}

void
jarchi_contact_set_note (JarchiContact *self, const char *note)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_string (self, &self->note, note, PROP_NOTE);
}

void
jarchi_contact_set_active (JarchiContact *self, gboolean active)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_boolean (self, &self->active, active, PROP_ACTIVE);
}

void
jarchi_contact_set_do_not_call (JarchiContact *self, gboolean do_not_call)
{
  g_return_if_fail (JARCHI_IS_CONTACT (self));
  set_boolean (self, &self->do_not_call, do_not_call, PROP_DO_NOT_CALL);
}
