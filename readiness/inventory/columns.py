"""Which column of an MDM export holds what: each product's header names, declared as data.

Header names are compared without case, spaces, underscores or hyphens, so
``DeviceFriendlyName``, ``device_friendly_name`` and ``Device Friendly Name``
are one name. A product is recognised by the headers only it writes; its own
table then decides, which matters where products disagree: Google's ``name``
is the device's user, everywhere else ``Name`` is the device.

Sources for the names (the research notes for issue 14 say which are verified):

- Microsoft Intune, Devices > All devices > Export: the 53-column header of the
  admin center's CSV as public tools that read it reproduce it; the same data under
  API names in the ``IntuneDevices`` table
  (learn.microsoft.com/azure/azure-monitor/reference/tables/intunedevices).
- Jamf Pro advanced mobile device and computer searches exported as CSV: the
  display-field names (Jamf Pro 10.x); the Jamf Pro API ``NetworkV2`` schema for
  IMEI/MEID/EID (one IMEI only).
- Kandji (Iru): ``GET /api/v1/devices`` keys as Kandji's own
  ``api-tools/devices-report/devices_report.py`` writes them as CSV headers, with
  ``user`` as the text of a dict; the console's Export column names are not published.
- Google Workspace / Endpoint Management: the Admin SDK Directory API
  ``mobiledevices`` resource (``name`` and ``email`` are the owner's).
- VMware / Omnissa Workspace ONE UEM: ``GET /API/mdm/devices/search`` records
  (``DeviceFriendlyName`` is built from user, model and OS; ``DeviceReportedName``
  is the device's own name); the console shows the first as "Friendly Name".
- Apple Business Manager: the Apple Business API ``orgDevices`` attributes
  (``imei`` and ``meid`` are lists; no user, no device name).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: What a column can hold, in the order a dry run shows the mapping.
ROLES = ("label", "model", "model_id", "imei", "imei2", "meid", "eid", "owner", "serial")
#: Roles where each row takes the first non-empty column (a name, else another name).
FALLBACK_ROLES = frozenset({"label", "model", "owner"})


def column_key(name: str) -> str:
    """A header as compared: case, spaces, underscores and hyphens do not count."""
    return "".join(ch for ch in name.casefold() if ch.isalnum() or ch == "/")


@dataclass(frozen=True)
class Layout:
    """One product's export: the headers that give it away and where each role is."""

    product: str
    signature: tuple[str, ...]
    columns: Mapping[str, tuple[str, ...]]


#: Any other CSV, this tool's own export included. Roles a product's table does not
#: mention are looked up here too.
GENERIC = Layout(
    product="",
    signature=(),
    columns={
        "label": ("Label", "Device Name", "Name", "Device", "Device Label", "Display Name"),
        "model": ("Model", "Model Name", "Product Name", "Device Model", "Product"),
        "model_id": ("Model Identifier", "Product Type"),
        "imei": ("IMEI", "IMEI 1", "IMEI/MEID", "IMEI Number", "Primary IMEI"),
        "imei2": ("IMEI2", "Secondary IMEI", "IMEI 2", "Second IMEI", "IMEI2/MEID"),
        "meid": ("MEID",),
        "eid": ("EID", "eSIM EID", "Embedded SIM EID"),
        "owner": (
            "Owner",
            "Email",
            "Email Address",
            "User Email",
            "Username",
            "Primary user",
            "User",
            "Assigned user",
            "User Name",
            "Primary User Display Name",
        ),
        "serial": ("Serial Number", "Serial"),
    },
)

LAYOUTS: tuple[Layout, ...] = (
    Layout(
        product="Microsoft Intune",
        signature=(
            "Primary user UPN",
            "Primary user email address",
            "Management name",
            "Azure AD Device ID",
            "Azure AD registered",
            "EAS activation ID",
            "Subscriber carrier",
            "Intune registered",
        ),
        columns={
            # Personal iPhones report the generic name "iPhone" (iOS 16+).
            "label": ("Device name", "Management name"),
            "model": ("Model", "ProductName"),
            "imei": ("IMEI",),
            "meid": ("MEID",),
            "eid": ("EID",),
            "owner": (
                "Primary user email address",
                "Primary user UPN",
                "Primary user display name",
            ),
            "serial": ("Serial number",),
        },
    ),
    Layout(
        product="Jamf Pro",
        signature=(
            "Model Identifier",
            "iOS Version",
            "iOS Build",
            "Last Inventory Update",
            "Device Phone Number",
            "User Phone Number",
            "Device Ownership Type",
            "Computer Name",
            "Operating System Version",
            "Operating System Build",
        ),
        columns={
            "label": ("Display Name", "Computer Name", "Mobile Device Name"),
            "model": ("Model",),
            "model_id": ("Model Identifier",),
            "imei": ("IMEI",),
            "meid": ("MEID",),
            "eid": ("EID",),
            "owner": ("Email Address", "Username", "Full Name"),
            "serial": ("Serial Number",),
        },
    ),
    Layout(
        product="Kandji",
        signature=("blueprint_id", "blueprint_name", "asset_tag"),
        columns={
            "label": ("device_name",),
            "model": ("model",),
            "owner": ("user",),
            "serial": ("serial_number",),
        },
    ),
    Layout(
        product="Google Workspace",
        signature=(
            "resourceId",
            "hardwareId",
            "releaseVersion",
            "networkOperator",
            "firstSync",
            "lastSync",
            "buildNumber",
        ),
        columns={
            "label": (),  # "name" is the owner's name; there is no device name
            "model": ("model",),
            "imei": ("imei",),
            "meid": ("meid",),
            "owner": ("email", "name"),
            "serial": ("serialNumber",),
        },
    ),
    Layout(
        product="Workspace ONE",
        signature=(
            "DeviceFriendlyName",
            "Friendly Name",
            "DeviceReportedName",
            "UserEmailAddress",
            "EnrollmentStatus",
            "LocationGroupName",
            "ComplianceStatus",
            "AssetNumber",
        ),
        columns={
            "label": (
                "DeviceReportedName",
                "Reported Name",
                "DeviceFriendlyName",
                "Friendly Name",
            ),
            "model": ("Model",),
            "imei": ("Imei",),
            "owner": ("UserEmailAddress", "User Email Address", "UserName", "User Name"),
            "serial": ("SerialNumber",),
        },
    ),
    Layout(
        product="Apple Business Manager",
        signature=(
            "deviceModel",
            "productFamily",
            "productType",
            "partNumber",
            "orderNumber",
            "orderDateTime",
            "addedToOrgDateTime",
            "deviceCapacity",
        ),
        columns={
            "label": (),
            "model": ("deviceModel", "Device Model"),
            "model_id": ("productType", "Product Type"),
            "imei": ("imei",),  # a list: two IMEIs in one cell
            "meid": ("meid",),
            "owner": (),
            "serial": ("serialNumber",),
        },
    ),
)


@dataclass(frozen=True)
class ColumnMap:
    """Which header columns (by index) hold each role, best first, and which are unused."""

    product: str
    roles: Mapping[str, tuple[int, ...]]
    unused: tuple[int, ...]


def recognise(header: Sequence[str]) -> Layout:
    """The product whose own headers appear most often; ``GENERIC`` when none does."""
    keys = {column_key(name) for name in header}
    best, score = GENERIC, 0
    for layout in LAYOUTS:
        found = sum(column_key(name) in keys for name in layout.signature)
        if found > score:
            best, score = layout, found
    return best


def map_columns(header: Sequence[str]) -> ColumnMap:
    """Each role's columns in the layout's order of preference."""
    layout = recognise(header)
    where: dict[str, int] = {}
    for index, name in enumerate(header):
        where.setdefault(column_key(name), index)
    roles: dict[str, tuple[int, ...]] = {}
    taken: set[int] = set()
    for role in ROLES:
        names = layout.columns.get(role, GENERIC.columns[role])
        found: list[int] = []
        for name in names:
            at = where.get(column_key(name))
            if at is not None and at not in taken and at not in found:
                found.append(at)
        if role not in FALLBACK_ROLES:
            found = found[:1]
        taken.update(found)
        if found:
            roles[role] = tuple(found)
    unused = tuple(i for i, name in enumerate(header) if i not in taken and name.strip())
    return ColumnMap(layout.product, roles, unused)
