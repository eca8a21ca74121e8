"""Fills a freshly provisioned Samba AD database (offline, in one process: samba-tool would start
Python once per user). Reads a JSON layout on stdin; see samba.ts for its shape."""
import json
import re
import sys

import ldb
from samba.auth import system_session
from samba.dcerpc import security
from samba.ndr import ndr_pack, ndr_unpack
from samba.param import LoadParm
from samba.samdb import SamDB

# Rights on user objects below OU=People (schemaIDGUIDs and extended rights from the AD schema).
USER_CLASS = "bf967aba-0de6-11d0-a285-00aa003049e2"
RESET_PASSWORD = "00299570-246d-11d0-a768-00aa006e0529"
LOCKOUT_TIME = "28630ebf-41d5-11d1-a9c1-0000f80367c1"
PWD_LAST_SET = "bf967a0a-0de6-11d0-a285-00aa003049e2"

layout = json.load(sys.stdin)
lp = LoadParm()
lp.load(layout["smbConf"])
samdb = SamDB(url=layout["samUrl"], session_info=system_session(), lp=lp)
base = samdb.domain_dn()
domain_sid = security.dom_sid(samdb.get_domain_sid())


def unicode_pwd(password):
    return ('"%s"' % password).encode("utf-16-le")


def add_user(user, ou_dn):
    dn = "CN=%s,%s" % (user["displayName"], ou_dn)
    entry = {
        "dn": dn,
        "objectClass": "user",
        "sAMAccountName": user["username"],
        "userPrincipalName": "%s@example.test" % user["username"],
        "displayName": user["displayName"],
        "mail": user["mail"],
    }
    for name in ("givenName", "sn", "mobile"):
        if user.get(name):
            entry[name] = user[name]
    if user.get("password"):
        entry["unicodePwd"] = unicode_pwd(user["password"])
        entry["userAccountControl"] = "512"
    samdb.add(entry)
    return dn


def add_ou(name):
    dn = "OU=%s,%s" % (name, base)
    samdb.add({"dn": dn, "objectClass": "organizationalUnit"})
    return dn


def grant(object_dn, aces):
    """Inserts explicit ACEs before the existing ones, as samba-tool dsacl set does."""
    res = samdb.search(base=object_dn, scope=ldb.SCOPE_BASE, attrs=["nTSecurityDescriptor"])
    desc = ndr_unpack(security.descriptor, res[0]["nTSecurityDescriptor"][0])
    sddl = desc.as_sddl(domain_sid)
    sddl = re.sub(r"\([^)]*;[^)]*ID[^)]*\)", "", sddl)  # inherited ACEs are recomputed by Samba
    at = sddl.index("(") if "(" in sddl else len(sddl)
    sddl = sddl[:at] + "".join(aces) + sddl[at:]
    message = ldb.Message()
    message.dn = ldb.Dn(samdb, object_dn)
    message["nTSecurityDescriptor"] = ldb.MessageElement(
        ndr_pack(security.descriptor.from_sddl(sddl, domain_sid)), ldb.FLAG_MOD_REPLACE, "nTSecurityDescriptor")
    samdb.modify(message)


samdb.transaction_start()
try:
    policy = layout["policy"]
    days = 24 * 3600 * 10**7
    minutes = 60 * 10**7
    domain = ldb.Message()
    domain.dn = ldb.Dn(samdb, base)
    for name, value in {
        "minPwdLength": policy["minLength"],
        "pwdHistoryLength": policy["history"],
        "pwdProperties": 1 if policy["complexity"] else 0,
        "minPwdAge": -policy["minAgeDays"] * days,
        "maxPwdAge": -policy["maxAgeDays"] * days,
        "lockoutThreshold": policy["lockoutThreshold"],
        "lockoutDuration": -policy["lockoutMinutes"] * minutes,
        "lockOutObservationWindow": -policy["lockoutMinutes"] * minutes,
    }.items():
        domain[name] = ldb.MessageElement(str(value), ldb.FLAG_MOD_REPLACE, name)
    samdb.modify(domain)

    people = add_ou("People")
    groups_ou = add_ou("Groups")
    services = add_ou("Services")
    crowd = add_ou("Crowd")

    service_dn = add_user({"username": "opensspr", "displayName": "opensspr", "mail": "opensspr@example.test",
                           "password": layout["servicePassword"]}, services)
    service_sid = str(ndr_unpack(security.dom_sid,
                                 samdb.search(base=service_dn, scope=ldb.SCOPE_BASE, attrs=["objectSid"])[0]["objectSid"][0]))
    # Delegation on OU=People, inherited by user objects only: reset passwords, write lockoutTime,
    # pwdLastSet and userAccountControl (reading is open to authenticated users by default).
    grant(people, [
        "(OA;CIIO;CR;%s;%s;%s)" % (RESET_PASSWORD, USER_CLASS, service_sid),
        "(OA;CIIO;WP;%s;%s;%s)" % (LOCKOUT_TIME, USER_CLASS, service_sid),
        "(OA;CIIO;WP;%s;%s;%s)" % (PWD_LAST_SET, USER_CLASS, service_sid),
    ])

    user_dns = {}
    for user in layout["users"]:
        user_dns[user["username"]] = add_user(user, people)
    crowd_dns = []
    for i in range(layout["crowdSize"]):
        n = "%05d" % (i + 1)
        crowd_dns.append(add_user({"username": "crowd" + n, "displayName": "Crowd " + n,
                                   "mail": "crowd%s@example.test" % n}, crowd))

    group_dns = {}
    for group in layout["groups"]:
        dn = "CN=%s,%s" % (group["cn"], groups_ou)
        entry = {"dn": dn, "objectClass": "group", "sAMAccountName": group["cn"]}
        members = [user_dns[u] for u in group["members"]] + (crowd_dns if group.get("crowd") else [])
        if members:
            entry["member"] = members
        samdb.add(entry)
        group_dns[group["cn"]] = dn
    samdb.transaction_commit()
except Exception:
    samdb.transaction_cancel()
    raise

json.dump({"baseDn": base, "serviceDn": service_dn, "users": user_dns, "groups": group_dns,
           "domainSid": str(domain_sid)}, sys.stdout)
