"""The official Azure SDK for Python against the emulator.

Usage: python python_sdk.py BASE_URL  (with REQUESTS_CA_BUNDLE = the emulator's CA file)

Creates a recovery server and an elastic pool, lists the origin's recoverable
databases, geo-restores a tenant database into the pool and polls it to
completion, lists the databases, moves a DNS alias and disables a Traffic
Manager endpoint, all through azure-identity (client credentials, authority =
the emulator) and the management SDKs (base_url = the emulator), on the
wingtip-demo scenario. Prints ALL OK at the end; any failure raises.
"""

import sys

from azure.identity import ClientSecretCredential
from azure.mgmt.sql import SqlManagementClient, models
from azure.mgmt.trafficmanager import TrafficManagerManagementClient
from azure.mgmt.trafficmanager import models as tm_models

base = sys.argv[1]
sub = "00000000-0000-0000-0000-000000000000"
credential = ClientSecretCredential(
    "00000000-0000-0000-0000-00000000e111",
    "00000000-0000-0000-0000-0000000c1e47",
    "georestore-emulator-secret",
    authority=base,
    disable_instance_discovery=True,
)
scopes = ["https://management.azure.com/.default"]
# The model serves one api-version per provider: pin it.
sql = SqlManagementClient(credential, sub, base_url=base, credential_scopes=scopes, api_version="2023-08-01")
tm = TrafficManagerManagementClient(credential, sub, base_url=base, credential_scopes=scopes, api_version="2022-04-01")
rg, origin_rg = "wingtip-dpt-user1-recovery", "wingtip-dpt-user1"
server = "tenants1-dpt-user1-recovery"
fast = {"polling_interval": 0.05}


def step(what):
    print("==", what, flush=True)


step("create the recovery server")
s = sql.servers.begin_create_or_update(
    rg, server, models.Server(location="westcentralus", administrator_login="a", administrator_login_password="P@ss-w0rd!"), **fast
).result()
assert s.state == "Ready", s
step("create an elastic pool")
pool = sql.elastic_pools.begin_create_or_update(rg, server, "Pool1", models.ElasticPool(location="westcentralus"), **fast).result()
assert pool.state == "Ready", pool
step("list the origin's recoverable databases")
recoverable = list(sql.recoverable_databases.list_by_server(origin_rg, "tenants1-dpt-user1"))
assert len(recoverable) == 20, recoverable
step("geo-restore a tenant into the pool and poll it to completion")
source = recoverable[0].id
db = sql.databases.begin_create_or_update(
    rg, server, recoverable[0].name,
    models.Database(location="westcentralus", create_mode="Recovery", source_database_id=source, elastic_pool_id=pool.id), **fast
).result()
assert db.status == "Online", db
step("list the recovery server's databases")
names = [d.name for d in sql.databases.list_by_server(rg, server)]
assert names == [recoverable[0].name], names
step("move the catalog alias")
old = f"/subscriptions/{sub}/resourceGroups/{origin_rg}/providers/Microsoft.Sql/servers/catalog-dpt-user1/dnsAliases/catalog-alias"
sql.server_dns_aliases.begin_acquire(rg, server, "catalog-alias", models.ServerDnsAliasAcquisition(old_server_dns_alias_id=old), **fast).result()
step("disable the origin's Traffic Manager endpoint")
e = tm.endpoints.update(origin_rg, origin_rg, "AzureEndpoints", "events-wingtip-dpt-user1", tm_models.Endpoint(endpoint_status="Disabled"))
assert e.endpoint_status == "Disabled", e
print("ALL OK")
