//! GETs of single resources the model keeps without an operation of its
//! own: resource groups, App Service plans, web apps, Traffic Manager
//! endpoints and a server's list of DNS aliases. What a driver reads to
//! see what exists (e.g. the resume survey,
//! [`scheduler::resume::survey`]). A missing resource is ARM's 404 with
//! the resource type's error code.

use ::arm::Response;
use ::arm::body::List;
use ::arm::body::{
    ResourceGroup, ResourceGroupProperties, ServerDnsAlias, ServerDnsAliasProperties, ServerFarm,
    ServerFarmProperties, Site, SiteProperties,
};
use ::arm::codes;
use ::arm::id::{Resource, ServerId};

use super::plan::{Local, Refusal, refuse};
use super::{ServeContext, lower, render};
use crate::model::AzureModel;

/// The answer to a GET of `resource`, if it is one of this module's.
pub(super) fn read(
    model: &AzureModel,
    ctx: &ServeContext,
    resource: &Resource,
) -> Option<Result<Local, Refusal>> {
    let answer = |body: Result<Response, Refusal>| Some(body.map(|r| Local::Read(Box::new(r))));
    match resource {
        Resource::ResourceGroup(id) => {
            let key = (lower(&id.subscription), lower(&id.name));
            if !model.front.resource_groups.contains(&key) {
                return answer(Err(refuse(
                    404,
                    codes::RESOURCE_GROUP_NOT_FOUND,
                    format!("Resource group '{}' could not be found.", id.name),
                )));
            }
            let body = ResourceGroup {
                id: Some(id.id()),
                name: Some(id.name.clone()),
                resource_type: Some("Microsoft.Resources/resourceGroups".to_owned()),
                properties: Some(ResourceGroupProperties {
                    provisioning_state: Some("Succeeded".to_owned()),
                    ..ResourceGroupProperties::default()
                }),
                ..ResourceGroup::default()
            };
            answer(Ok(Response::new(200).with_payload(body)))
        }
        Resource::ServerFarm(id) => {
            let group = &id.resource_group;
            let key = (
                lower(&group.subscription),
                lower(&group.name),
                lower(&id.name),
            );
            if !model.front.server_farms.contains(&key) {
                return answer(Err(not_found("Microsoft.Web/serverFarms", &id.name)));
            }
            let body = ServerFarm {
                id: Some(id.id()),
                name: Some(id.name.clone()),
                resource_type: Some("Microsoft.Web/serverfarms".to_owned()),
                location: Some(ctx.recovery_location.clone()),
                properties: Some(ServerFarmProperties {
                    status: Some("Ready".to_owned()),
                    ..ServerFarmProperties::default()
                }),
                ..ServerFarm::default()
            };
            answer(Ok(Response::new(200).with_payload(body)))
        }
        Resource::Site(id) => {
            if !model.web_app_ready(&id.name) {
                return answer(Err(not_found("Microsoft.Web/sites", &id.name)));
            }
            let body = Site {
                id: Some(id.id()),
                name: Some(id.name.clone()),
                resource_type: Some("Microsoft.Web/sites".to_owned()),
                location: Some(ctx.recovery_location.clone()),
                properties: Some(SiteProperties {
                    state: Some("Running".to_owned()),
                    ..SiteProperties::default()
                }),
                ..Site::default()
            };
            answer(Ok(Response::new(200).with_payload(body)))
        }
        Resource::TrafficManagerEndpoint(id) => match model.endpoint_enabled(&id.name) {
            Some(enabled) => answer(Ok(Response::new(200).with_payload(render::endpoint(
                id,
                model.front.endpoint(id).cloned(),
                enabled,
            )))),
            None => answer(Err(not_found(
                "Microsoft.Network/trafficManagerProfiles/azureEndpoints",
                &id.name,
            ))),
        },
        Resource::DnsAliases(server) => {
            if model.server_region(&server.name).is_none() {
                return answer(Err(server_not_found(server)));
            }
            let value = model
                .aliases_on(&server.name)
                .into_iter()
                .map(|name| alias(server, name))
                .collect();
            answer(Ok(Response::new(200).with_payload(List {
                value,
                next_link: None,
            })))
        }
        Resource::DatabaseOperations(id) => {
            answer(super::operations::database_operations(model, id))
        }
        Resource::ElasticPoolOperations(id) => {
            answer(super::operations::pool_operations(model, id))
        }
        _ => None,
    }
}

fn not_found(resource_type: &str, name: &str) -> Refusal {
    refuse(
        404,
        codes::RESOURCE_NOT_FOUND,
        format!("The Resource '{resource_type}/{name}' under resource group was not found."),
    )
}

fn server_not_found(server: &ServerId) -> Refusal {
    super::not_found(&server.resource_group.name, "servers", &server.name)
}

fn alias(server: &ServerId, name: &str) -> ServerDnsAlias {
    ServerDnsAlias {
        id: Some(server.dns_alias(name).id()),
        name: Some(name.to_owned()),
        resource_type: Some("Microsoft.Sql/servers/dnsAliases".to_owned()),
        properties: Some(ServerDnsAliasProperties {
            azure_dns_record: Some(format!("{name}.database.windows.net")),
            ..ServerDnsAliasProperties::default()
        }),
        ..ServerDnsAlias::default()
    }
}
