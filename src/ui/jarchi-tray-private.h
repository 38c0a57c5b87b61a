/* JarchiTray's D-Bus introspection data: the StatusNotifierItem and dbusmenu interfaces it exports. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Only jarchi-tray.c includes this: the strings are static, parsed once per tray in
 * jarchi_tray_constructed(). */

static const char item_xml[] =
  "<node><interface name='org.kde.StatusNotifierItem'>"
  "<property name='Category' type='s' access='read'/>"
  "<property name='Id' type='s' access='read'/>"
  "<property name='Title' type='s' access='read'/>"
  "<property name='Status' type='s' access='read'/>"
  "<property name='WindowId' type='i' access='read'/>"
  "<property name='IconName' type='s' access='read'/>"
  "<property name='IconPixmap' type='a(iiay)' access='read'/>"
  "<property name='OverlayIconName' type='s' access='read'/>"
  "<property name='AttentionIconName' type='s' access='read'/>"
  "<property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "<property name='ItemIsMenu' type='b' access='read'/>"
  "<property name='Menu' type='o' access='read'/>"
  "<method name='ContextMenu'><arg name='x' type='i' direction='in'/><arg name='y' type='i' direction='in'/></method>"
  "<method name='Activate'><arg name='x' type='i' direction='in'/><arg name='y' type='i' direction='in'/></method>"
  "<method name='SecondaryActivate'><arg name='x' type='i' direction='in'/><arg name='y' type='i' direction='in'/></method>"
  "<method name='Scroll'><arg name='delta' type='i' direction='in'/><arg name='orientation' type='s' direction='in'/></method>"
  "<signal name='NewTitle'/><signal name='NewIcon'/><signal name='NewAttentionIcon'/>"
  "<signal name='NewOverlayIcon'/><signal name='NewToolTip'/>"
  "<signal name='NewStatus'><arg name='status' type='s'/></signal>"
  "</interface></node>";

static const char menu_xml[] =
  "<node><interface name='com.canonical.dbusmenu'>"
  "<property name='Version' type='u' access='read'/>"
  "<property name='TextDirection' type='s' access='read'/>"
  "<property name='Status' type='s' access='read'/>"
  "<property name='IconThemePath' type='as' access='read'/>"
  "<method name='GetLayout'><arg type='i' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='u' direction='out'/><arg type='(ia{sv}av)' direction='out'/></method>"
  "<method name='GetGroupProperties'><arg type='ai' direction='in'/><arg type='as' direction='in'/>"
  "<arg type='a(ia{sv})' direction='out'/></method>"
  "<method name='GetProperty'><arg type='i' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='v' direction='out'/></method>"
  "<method name='Event'><arg type='i' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='v' direction='in'/><arg type='u' direction='in'/></method>"
  "<method name='EventGroup'><arg type='a(isvu)' direction='in'/><arg type='ai' direction='out'/></method>"
  "<method name='AboutToShow'><arg type='i' direction='in'/><arg type='b' direction='out'/></method>"
  "<method name='AboutToShowGroup'><arg type='ai' direction='in'/><arg type='ai' direction='out'/>"
  "<arg type='ai' direction='out'/></method>"
  "<signal name='ItemsPropertiesUpdated'><arg type='a(ia{sv})'/><arg type='a(ias)'/></signal>"
  "<signal name='LayoutUpdated'><arg type='u'/><arg type='i'/></signal>"
  "<signal name='ItemActivationRequested'><arg type='i'/><arg type='u'/></signal>"
  "</interface></node>";
