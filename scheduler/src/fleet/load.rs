//! Parsing and validation of fleet files.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use super::file::{self, FleetFile};
use super::{
    DatabaseInfo, DbId, Fleet, FleetError, PoolCapacity, PoolId, PoolInfo, PoolSku, Routing,
    ServerId, ServerInfo, TierId,
};
use crate::diagnostic::{
    InputKind, LineIndex, deserialize_toml, kind_of, locate, scenario_given_for_fleet,
};

/// Parses TOML text into a validated fleet.
pub(super) fn parse(text: &str, file_name: &str) -> Result<Fleet, FleetError> {
    let parsed: FleetFile = deserialize_toml(text, file_name).map_err(|e| {
        // A scenario fails on its first scenario-only key; say what it is.
        if kind_of(text) == InputKind::Scenario {
            scenario_given_for_fleet(file_name, text)
        } else {
            e
        }
    })?;
    validate(parsed, file_name, text)
}

/// Builds errors located at a span of the source text.
struct Reporter<'a> {
    file: &'a str,
    text: &'a str,
    index: Option<LineIndex>,
}

impl Reporter<'_> {
    /// An error at `span`; without one (cross-field checks, keys serde
    /// keeps no span for), at the line where `key` is written.
    fn error(&self, span: Range<usize>, key: String, message: String, fix: String) -> FleetError {
        let (line, column) = match &self.index {
            Some(index) if span.end > 0 => {
                let (line, column) = index.position(span.start);
                (Some(line), Some(column))
            }
            _ => (locate(self.text, &key), None),
        };
        FleetError {
            file: self.file.to_owned(),
            line,
            column,
            key,
            message,
            fix,
        }
    }
}

/// Checks cross-references and builds the indexed [`Fleet`].
pub(super) fn validate(
    parsed: FleetFile,
    file_name: &str,
    text: &str,
) -> Result<Fleet, FleetError> {
    let report = Reporter {
        file: file_name,
        text,
        index: (!text.is_empty()).then(|| LineIndex::new(text)),
    };
    if let Some((message, fix)) = super::size::check_tenants(parsed.databases.len() as u64) {
        return Err(report.error(0..0, "databases".into(), message, fix));
    }
    let tiers = validate_tiers(&parsed, &report)?;
    let servers = build_servers(&parsed.servers, parsed.routing, &report)?;
    let server_ids: BTreeMap<&str, ServerId> = parsed
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| (s.get_ref().name.as_str(), ServerId(index_u32(i))))
        .collect();
    let mut servers = servers;
    let mut pools = build_pools(&parsed.pools, &server_ids, &mut servers, &report)?;
    let databases = build_databases(
        &parsed.databases,
        &server_ids,
        &tiers,
        &mut servers,
        &mut pools,
        &report,
    )?;
    let FleetFile {
        name,
        subscription,
        origin_region,
        recovery_region,
        routing,
        recovery_suffix,
        resource_groups,
        tiers: tier_list,
        catalog,
        app,
        new_tenants,
        administrator,
        recovery,
        ..
    } = parsed;
    if origin_region == recovery_region {
        return Err(report.error(
            0..0,
            "recovery_region".into(),
            format!("recovery region equals the origin region `{origin_region}`"),
            format!("set recovery_region to the region paired with `{origin_region}` (the one to recover into); it must differ from origin_region"),
        ));
    }
    Ok(Fleet {
        name,
        subscription,
        origin_region,
        recovery_region,
        routing,
        recovery_suffix,
        resource_groups,
        tiers: tier_list,
        catalog,
        app,
        new_tenants,
        administrator,
        recovery,
        servers,
        pools: pools.0,
        databases,
    })
}

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn validate_tiers<'a>(
    parsed: &'a FleetFile,
    report: &Reporter<'_>,
) -> Result<BTreeMap<&'a str, TierId>, FleetError> {
    if parsed.tiers.is_empty() || parsed.tiers.len() > 255 {
        return Err(report.error(
            0..0,
            "tiers".into(),
            format!("{} tiers given", parsed.tiers.len()),
            "list between 1 and 255 [[tiers]], most important first".into(),
        ));
    }
    let mut ids = BTreeMap::new();
    for (i, tier) in parsed.tiers.iter().enumerate() {
        if tier.weight == 0 {
            return Err(report.error(
                0..0,
                format!("tiers[{i}].weight"),
                format!("tier `{}` has weight 0", tier.name),
                "give every tier a weight of at least 1".into(),
            ));
        }
        let id = TierId(u8::try_from(i).unwrap_or(u8::MAX));
        if ids.insert(tier.name.as_str(), id).is_some() {
            return Err(report.error(
                0..0,
                format!("tiers[{i}].name"),
                format!("tier `{}` is listed twice", tier.name),
                "give each tier a distinct name".into(),
            ));
        }
    }
    Ok(ids)
}

fn build_servers(
    servers: &[Spanned<file::Server>],
    routing: Routing,
    report: &Reporter<'_>,
) -> Result<Vec<ServerInfo>, FleetError> {
    let mut seen = BTreeMap::new();
    let mut out = Vec::with_capacity(servers.len());
    for (i, spanned) in servers.iter().enumerate() {
        let server = spanned.get_ref();
        if seen.insert(server.name.as_str(), i).is_some() {
            return Err(report.error(
                spanned.span(),
                format!("servers[{i}].name"),
                format!("server `{}` is listed twice", server.name),
                "remove the duplicate [[servers]] entry".into(),
            ));
        }
        if routing == Routing::ServerAlias && server.alias.is_none() {
            return Err(report.error(
                spanned.span(),
                format!("servers[{i}].alias"),
                format!(
                    "server `{}` has no alias but routing is \"server-alias\"",
                    server.name
                ),
                "add alias = \"<dns alias>\" to the server, or use routing = \"catalog\"".into(),
            ));
        }
        out.push(ServerInfo {
            name: server.name.clone(),
            alias: server.alias.clone(),
            pools: Vec::new(),
            databases: Vec::new(),
        });
    }
    Ok(out)
}

/// Pools plus a (server, pool name) lookup.
struct Pools(Vec<PoolInfo>, BTreeMap<(ServerId, String), PoolId>);

fn build_pools(
    pools: &[Spanned<file::Pool>],
    server_ids: &BTreeMap<&str, ServerId>,
    servers: &mut [ServerInfo],
    report: &Reporter<'_>,
) -> Result<Pools, FleetError> {
    let mut out = Vec::with_capacity(pools.len());
    let mut lookup = BTreeMap::new();
    for (i, spanned) in pools.iter().enumerate() {
        let pool = spanned.get_ref();
        let span = spanned.span();
        let Some(&server) = server_ids.get(pool.server.as_str()) else {
            return Err(report.error(
                span,
                format!("pools[{i}].server"),
                format!(
                    "pool `{}` names unknown server `{}`",
                    pool.name, pool.server
                ),
                "add a [[servers]] entry with that name or correct the server name".into(),
            ));
        };
        let capacity = match (pool.dtu, pool.vcores) {
            (Some(dtu), None) if dtu > 0 => PoolCapacity::Dtu(dtu),
            (None, Some(vcores)) if vcores > 0 => PoolCapacity::VCores(vcores),
            _ => {
                return Err(report.error(
                    span,
                    format!("pools[{i}]"),
                    format!(
                        "pool `{}` must give exactly one of dtu or vcores, above 0",
                        pool.name
                    ),
                    "write dtu = 50 (DTU model) or vcores = 2 (vCore model)".into(),
                ));
            }
        };
        let sku = match capacity {
            PoolCapacity::Dtu(dtu) => Some(PoolSku::dtu(&pool.edition, dtu, pool.sku.as_deref())),
            PoolCapacity::VCores(vcores) => PoolSku::vcores(
                &pool.edition,
                vcores,
                pool.family.as_deref(),
                pool.sku.as_deref(),
            ),
        };
        let Some(sku) = sku else {
            return Err(report.error(
                span,
                format!("pools[{i}].edition"),
                format!(
                    "pool `{}` has vcores but edition `{}` has no known vCore SKU",
                    pool.name, pool.edition
                ),
                "use edition GeneralPurpose, BusinessCritical or Hyperscale, or give sku = \"<ARM sku name>\"".into(),
            ));
        };
        let id = PoolId(index_u32(i));
        if lookup.insert((server, pool.name.clone()), id).is_some() {
            return Err(report.error(
                span,
                format!("pools[{i}].name"),
                format!(
                    "pool `{}` is listed twice on server `{}`",
                    pool.name, pool.server
                ),
                "remove the duplicate pool entry".into(),
            ));
        }
        servers[server.0 as usize].pools.push(id);
        out.push(PoolInfo {
            server,
            name: pool.name.clone(),
            edition: pool.edition.clone(),
            capacity,
            per_db_min: pool.per_db_min,
            per_db_max: pool.per_db_max,
            storage_gb: pool.storage_gb,
            sku,
            zone_redundant: pool.zone_redundant,
            databases: Vec::new(),
        });
    }
    Ok(Pools(out, lookup))
}

fn build_databases(
    databases: &[Spanned<file::Database>],
    server_ids: &BTreeMap<&str, ServerId>,
    tiers: &BTreeMap<&str, TierId>,
    servers: &mut [ServerInfo],
    pools: &mut Pools,
    report: &Reporter<'_>,
) -> Result<Vec<DatabaseInfo>, FleetError> {
    let Pools(pool_list, pool_ids) = pools;
    let mut names = BTreeMap::new();
    let mut out = Vec::with_capacity(databases.len());
    for (i, spanned) in databases.iter().enumerate() {
        let db = spanned.get_ref();
        let span = spanned.span();
        let at = |field: &str| format!("databases[{i}].{field}");
        let Some(&server) = server_ids.get(db.server.as_str()) else {
            return Err(report.error(
                span,
                at("server"),
                format!(
                    "database `{}` names unknown server `{}`",
                    db.name, db.server
                ),
                "add a [[servers]] entry with that name or correct the server name".into(),
            ));
        };
        let Some(&tier) = tiers.get(db.tier.as_str()) else {
            let known: Vec<&str> = tiers.keys().copied().collect();
            return Err(report.error(
                span,
                at("tier"),
                format!("database `{}` names unknown tier `{}`", db.name, db.tier),
                format!("use one of {known:?} or add it to [[tiers]]"),
            ));
        };
        if !(db.size_gb.is_finite() && db.size_gb >= 0.0 && db.size_gb <= 1_048_576.0) {
            return Err(report.error(
                span,
                at("size_gb"),
                format!("database `{}` has size_gb = {}", db.name, db.size_gb),
                "give the used size in GB as a number between 0 and 1048576".into(),
            ));
        }
        let pool = match (&db.pool, &db.service_objective) {
            (Some(pool), None) => match pool_ids.get(&(server, pool.clone())) {
                Some(&id) => Some(id),
                None => {
                    return Err(report.error(
                        span,
                        at("pool"),
                        format!(
                            "database `{}` names unknown pool `{pool}` on `{}`",
                            db.name, db.server
                        ),
                        "add the pool to [[pools]] on that server or correct the pool name".into(),
                    ));
                }
            },
            (None, Some(_)) => None,
            _ => {
                return Err(report.error(
                    span,
                    at("pool"),
                    format!(
                        "database `{}` must give exactly one of pool or service_objective",
                        db.name
                    ),
                    "write pool = \"Pool1\" for a pooled database or service_objective = \"S3\" for a standalone one".into(),
                ));
            }
        };
        if names.insert((server, db.name.as_str()), i).is_some() {
            return Err(report.error(
                span,
                at("name"),
                format!(
                    "database `{}` is listed twice on server `{}`",
                    db.name, db.server
                ),
                "remove the duplicate database entry".into(),
            ));
        }
        let id = DbId(index_u32(i));
        servers[server.0 as usize].databases.push(id);
        if let Some(pool) = pool {
            pool_list[pool.0 as usize].databases.push(id);
        }
        out.push(DatabaseInfo {
            name: db.name.clone(),
            server,
            pool,
            service_objective: db.service_objective.clone(),
            size_mb: (db.size_gb * 1024.0).round() as u64,
            tenant: db.tenant.clone().unwrap_or_else(|| db.name.clone()),
            tenant_id: db.tenant_id.clone().unwrap_or_else(|| db.name.clone()),
            tier,
        });
    }
    Ok(out)
}
