//! Generated fleets: servers of pools of databases with lognormal sizes and
//! tiers drawn by share, built as a `FleetFile` and validated by the
//! scheduler's own fleet loader.

use scheduler::fleet::file::{
    App, Catalog, Database, FleetFile, NewTenants, Pool, ResourceGroups, Server,
};
use scheduler::fleet::{Fleet, Routing, Tier};
use toml::Spanned;

use super::Generator;
use crate::rng::component_draws;

/// A generator problem: (key under `fleet.generate`, message, fix).
pub type GenError = (String, String, String);

fn problem(key: &str, message: String, fix: &str) -> GenError {
    (key.to_owned(), message, fix.to_owned())
}

fn check(g: &Generator) -> Result<Routing, GenError> {
    if g.tenants == 0 {
        return Err(problem("tenants", "tenants is 0".into(), "use at least 1"));
    }
    if !(1..=500).contains(&g.databases_per_pool) {
        return Err(problem(
            "databases_per_pool",
            format!("databases_per_pool is {}", g.databases_per_pool),
            "use 1..=500 (Azure's per-pool database limit)",
        ));
    }
    if g.pools_per_server == 0 {
        return Err(problem(
            "pools_per_server",
            "pools_per_server is 0".into(),
            "use at least 1",
        ));
    }
    if !(g.standalone_share.is_finite() && (0.0..=1.0).contains(&g.standalone_share)) {
        return Err(problem(
            "standalone_share",
            format!("standalone_share is {}", g.standalone_share),
            "use a fraction in [0, 1]",
        ));
    }
    let s = g.size_gb;
    if !(s.median_gb.is_finite()
        && s.median_gb > 0.0
        && s.sigma.is_finite()
        && (0.0..=5.0).contains(&s.sigma)
        && s.max_gb.is_finite()
        && s.max_gb >= s.median_gb
        && s.max_gb <= 1_048_576.0)
    {
        return Err(problem(
            "size_gb",
            format!(
                "size_gb is median {} GB, sigma {}, max {} GB",
                s.median_gb, s.sigma, s.max_gb
            ),
            "use median_gb > 0, sigma in [0, 5] and median_gb <= max_gb <= 1048576",
        ));
    }
    if g.tiers.is_empty() || g.tiers.len() > 255 {
        return Err(problem(
            "tiers",
            format!("{} tiers", g.tiers.len()),
            "list 1 to 255 tiers",
        ));
    }
    let total: f64 = g.tiers.iter().map(|t| t.share).sum();
    if g.tiers
        .iter()
        .any(|t| !(t.share.is_finite() && t.share >= 0.0))
        || (total - 1.0).abs() > 1e-6
    {
        return Err(problem(
            "tiers",
            format!("tier shares add up to {total}"),
            "give each tier a share >= 0 so that the shares add up to 1",
        ));
    }
    match g.routing.as_str() {
        "catalog" => Ok(Routing::Catalog),
        "server-alias" => Ok(Routing::ServerAlias),
        other => Err(problem(
            "routing",
            format!("unknown routing `{other}`"),
            "use \"catalog\" or \"server-alias\"",
        )),
    }
}

/// Builds and validates the fleet a generator describes. Names: servers
/// `<name>-tenants<NNN>`, pools `pool<NN>`, databases `t<NNNNNN>`.
pub fn generate_fleet(name: &str, g: &Generator) -> Result<Fleet, GenError> {
    let routing = check(g)?;
    let mut draws = component_draws(g.seed, &["fleet-generator", name], 0);
    let tenants = g.tenants as usize;
    let per_pool = g.databases_per_pool as usize;
    // Standalone tenants are spread evenly; the rest fill pools in order.
    let standalone = (g.standalone_share * tenants as f64).round() as usize;
    let pooled = tenants - standalone.min(tenants);
    let pool_count = pooled.div_ceil(per_pool);
    let server_count = pool_count.div_ceil(g.pools_per_server as usize).max(1);
    let server_name = |i: usize| format!("{name}-tenants{i:03}");
    let servers: Vec<Spanned<Server>> = (0..server_count)
        .map(|i| {
            Spanned::new(
                0..0,
                Server {
                    name: server_name(i),
                    alias: Some(format!("{}-alias", server_name(i))),
                },
            )
        })
        .collect();
    let pools: Vec<Spanned<Pool>> = (0..pool_count)
        .map(|p| {
            Spanned::new(
                0..0,
                Pool {
                    server: server_name(p / g.pools_per_server as usize),
                    name: format!("pool{:02}", p % g.pools_per_server as usize),
                    edition: "Standard".into(),
                    dtu: Some(200),
                    vcores: None,
                    per_db_min: 0.0,
                    per_db_max: Some(100.0),
                    storage_gb: None,
                    sku: None,
                    family: None,
                    zone_redundant: false,
                },
            )
        })
        .collect();
    // Cumulative tier shares for drawing a tier per tenant.
    let mut cumulative = Vec::with_capacity(g.tiers.len());
    let mut acc = 0.0;
    for t in &g.tiers {
        acc += t.share;
        cumulative.push(acc);
    }
    let mut databases = Vec::with_capacity(tenants);
    for i in 0..tenants {
        let u = draws.unit();
        let tier = cumulative
            .iter()
            .position(|&c| u < c)
            .unwrap_or(g.tiers.len() - 1);
        let size = draws
            .lognormal(g.size_gb.median_gb, g.size_gb.sigma)
            .min(g.size_gb.max_gb);
        let size_gb = (size * 100.0).round() / 100.0;
        let (server, pool, objective) = if i < pooled {
            let p = i / per_pool;
            (
                servers[p / g.pools_per_server as usize]
                    .get_ref()
                    .name
                    .clone(),
                Some(pools[p].get_ref().name.clone()),
                None,
            )
        } else {
            (
                servers[(i - pooled) % server_count].get_ref().name.clone(),
                None,
                Some("S3".to_owned()),
            )
        };
        databases.push(Spanned::new(
            0..0,
            Database {
                name: format!("t{i:06}"),
                server,
                pool,
                service_objective: objective,
                size_gb,
                tenant: None,
                tenant_id: None,
                tier: g.tiers[tier].name.clone(),
            },
        ));
    }
    let file = FleetFile {
        name: name.to_owned(),
        subscription: "00000000-0000-0000-0000-000000000000".into(),
        origin_region: "eastus".into(),
        recovery_region: "westus".into(),
        routing,
        recovery_suffix: "-recovery".into(),
        resource_groups: ResourceGroups {
            origin: format!("{name}-rg"),
            recovery: format!("{name}-rg-recovery"),
            traffic_manager: None,
            create_recovery: true,
        },
        tiers: g
            .tiers
            .iter()
            .map(|t| Tier {
                name: t.name.clone(),
                weight: t.weight,
            })
            .collect(),
        catalog: Catalog {
            server: format!("{name}-catalog"),
            database: "tenantcatalog".into(),
            alias: format!("{name}-catalog-alias"),
            size_gb: 1.0,
        },
        app: App {
            origin_web_app: format!("{name}-app-eastus"),
            recovery_web_app: format!("{name}-app-westus"),
            traffic_manager_profile: format!("{name}-tm"),
            origin_endpoint: format!("{name}-app-eastus"),
            recovery_endpoint: format!("{name}-app-westus"),
            recovery_app_service_plan: None,
            app_service_plan_sku: "S1".into(),
        },
        new_tenants: NewTenants {
            server: format!("{name}-newtenants"),
            pool: "Pool1".into(),
            alias: format!("{name}-newtenants-alias"),
            edition: None,
            dtu: None,
        },
        administrator: None,
        recovery: Default::default(),
        servers,
        pools,
        databases,
    };
    Fleet::from_file(file, &format!("{name} (generated)"))
        .map_err(|e| problem("", e.to_string(), "adjust the generator"))
}
