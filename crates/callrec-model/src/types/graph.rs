//! The `microsoft.graph` types of the schema, generated from `spec/graph-types-used-csdl-v1.0.xml`.
//!
//! Do not edit: `tests/schema/codegen.rs` of this crate writes this file, and the `schema` test fails
//! when it is stale (`CALLREC_UPDATE_GENERATED=1 cargo test -p callrec-model --test schema` rewrites it).
//! The JSON rules these types follow are described in [`crate::types`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{Sample, SchemaEnum, SchemaObject};

/// `microsoft.graph.changeType`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum ChangeType {
    /// `created`
    #[default]
    Created,
    /// `updated`
    Updated,
    /// `deleted`
    Deleted,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl ChangeType {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Deleted => "deleted",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "created" => Self::Created,
            "updated" => Self::Updated,
            "deleted" => Self::Deleted,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for ChangeType {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.changeType";
    const MEMBERS: &'static [&'static str] = &["created", "updated", "deleted"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for ChangeType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ChangeType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ChangeType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for ChangeType {
    fn sample() -> Self {
        Self::Created
    }
}

/// `microsoft.graph.endpointType`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum EndpointType {
    /// `default`
    #[default]
    Default,
    /// `voicemail`
    Voicemail,
    /// `skypeForBusiness`
    SkypeForBusiness,
    /// `skypeForBusinessVoipPhone`
    SkypeForBusinessVoipPhone,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl EndpointType {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Default => "default",
            Self::Voicemail => "voicemail",
            Self::SkypeForBusiness => "skypeForBusiness",
            Self::SkypeForBusinessVoipPhone => "skypeForBusinessVoipPhone",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "default" => Self::Default,
            "voicemail" => Self::Voicemail,
            "skypeForBusiness" => Self::SkypeForBusiness,
            "skypeForBusinessVoipPhone" => Self::SkypeForBusinessVoipPhone,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for EndpointType {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.endpointType";
    const MEMBERS: &'static [&'static str] = &["default", "voicemail", "skypeForBusiness", "skypeForBusinessVoipPhone", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for EndpointType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EndpointType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EndpointType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for EndpointType {
    fn sample() -> Self {
        Self::Default
    }
}

/// `microsoft.graph.lifecycleEventType`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum LifecycleEventType {
    /// `missed`
    #[default]
    Missed,
    /// `subscriptionRemoved`
    SubscriptionRemoved,
    /// `reauthorizationRequired`
    ReauthorizationRequired,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl LifecycleEventType {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Missed => "missed",
            Self::SubscriptionRemoved => "subscriptionRemoved",
            Self::ReauthorizationRequired => "reauthorizationRequired",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "missed" => Self::Missed,
            "subscriptionRemoved" => Self::SubscriptionRemoved,
            "reauthorizationRequired" => Self::ReauthorizationRequired,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for LifecycleEventType {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.lifecycleEventType";
    const MEMBERS: &'static [&'static str] = &["missed", "subscriptionRemoved", "reauthorizationRequired"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for LifecycleEventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for LifecycleEventType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for LifecycleEventType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for LifecycleEventType {
    fn sample() -> Self {
        Self::Missed
    }
}

/// `microsoft.graph.azureCommunicationServicesUserIdentity`: open complex type derived from `microsoft.graph.identity`.
///
/// In a slot of type `microsoft.graph.identity` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AzureCommunicationServicesUserIdentity {
    /// `displayName`: `Edm.String`
    pub display_name: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `azureCommunicationServicesResourceId`: `Edm.String`
    pub azure_communication_services_resource_id: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for AzureCommunicationServicesUserIdentity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.azureCommunicationServicesUserIdentity";
    const PROPERTY_NAMES: &'static [&'static str] = &["displayName", "id", "azureCommunicationServicesResourceId"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            display_name: super::take(&mut object, "displayName")?,
            id: super::take(&mut object, "id")?,
            azure_communication_services_resource_id: super::take(&mut object, "azureCommunicationServicesResourceId")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl AzureCommunicationServicesUserIdentity {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("displayName", &self.display_name)?;
        out.property("id", &self.id)?;
        out.property("azureCommunicationServicesResourceId", &self.azure_communication_services_resource_id)?;
        out.end()
    }
}

impl Serialize for AzureCommunicationServicesUserIdentity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for AzureCommunicationServicesUserIdentity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for AzureCommunicationServicesUserIdentity {
    fn sample() -> Self {
        Self {
            display_name: Some(Sample::sample()),
            id: Some(Sample::sample()),
            azure_communication_services_resource_id: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.changeNotification`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChangeNotification {
    /// `changeType`: `microsoft.graph.changeType`
    pub change_type: Option<ChangeType>,
    /// `clientState`: `Edm.String`
    pub client_state: Option<String>,
    /// `encryptedContent`: `microsoft.graph.changeNotificationEncryptedContent`
    pub encrypted_content: Option<ChangeNotificationEncryptedContent>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `lifecycleEvent`: `microsoft.graph.lifecycleEventType`
    pub lifecycle_event: Option<LifecycleEventType>,
    /// `resource`: `Edm.String`
    pub resource: Option<String>,
    /// `resourceData`: `microsoft.graph.resourceData`
    pub resource_data: Option<ResourceData>,
    /// `subscriptionExpirationDateTime`: `Edm.DateTimeOffset`
    pub subscription_expiration_date_time: Option<super::DateTimeOffset>,
    /// `subscriptionId`: `Edm.Guid`
    pub subscription_id: Option<String>,
    /// `tenantId`: `Edm.Guid`
    pub tenant_id: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for ChangeNotification {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.changeNotification";
    const PROPERTY_NAMES: &'static [&'static str] = &["changeType", "clientState", "encryptedContent", "id", "lifecycleEvent", "resource", "resourceData", "subscriptionExpirationDateTime", "subscriptionId", "tenantId"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            change_type: super::take(&mut object, "changeType")?,
            client_state: super::take(&mut object, "clientState")?,
            encrypted_content: super::take(&mut object, "encryptedContent")?,
            id: super::take(&mut object, "id")?,
            lifecycle_event: super::take(&mut object, "lifecycleEvent")?,
            resource: super::take(&mut object, "resource")?,
            resource_data: super::take(&mut object, "resourceData")?,
            subscription_expiration_date_time: super::take(&mut object, "subscriptionExpirationDateTime")?,
            subscription_id: super::take(&mut object, "subscriptionId")?,
            tenant_id: super::take(&mut object, "tenantId")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl ChangeNotification {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("changeType", &self.change_type)?;
        out.property("clientState", &self.client_state)?;
        out.property("encryptedContent", &self.encrypted_content)?;
        out.property("id", &self.id)?;
        out.property("lifecycleEvent", &self.lifecycle_event)?;
        out.property("resource", &self.resource)?;
        out.property("resourceData", &self.resource_data)?;
        out.property("subscriptionExpirationDateTime", &self.subscription_expiration_date_time)?;
        out.property("subscriptionId", &self.subscription_id)?;
        out.property("tenantId", &self.tenant_id)?;
        out.end()
    }
}

impl Serialize for ChangeNotification {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for ChangeNotification {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for ChangeNotification {
    fn sample() -> Self {
        Self {
            change_type: Some(Sample::sample()),
            client_state: Some(Sample::sample()),
            encrypted_content: Some(Sample::sample()),
            id: Some(Sample::sample()),
            lifecycle_event: Some(Sample::sample()),
            resource: Some(Sample::sample()),
            resource_data: Some(Sample::sample()),
            subscription_expiration_date_time: Some(Sample::sample()),
            subscription_id: Some(String::from("2c4a6a7e-3f0a-4b8e-9d55-0c7f0c3e9a11")),
            tenant_id: Some(String::from("2c4a6a7e-3f0a-4b8e-9d55-0c7f0c3e9a11")),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.changeNotificationCollection`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChangeNotificationCollection {
    /// `validationTokens`: `Collection(Edm.String)`
    pub validation_tokens: Option<Vec<String>>,
    /// `value`: `Collection(microsoft.graph.changeNotification)`
    pub value: Option<Vec<ChangeNotification>>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for ChangeNotificationCollection {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.changeNotificationCollection";
    const PROPERTY_NAMES: &'static [&'static str] = &["validationTokens", "value"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            validation_tokens: super::take(&mut object, "validationTokens")?,
            value: super::take(&mut object, "value")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl ChangeNotificationCollection {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("validationTokens", &self.validation_tokens)?;
        out.property("value", &self.value)?;
        out.end()
    }
}

impl Serialize for ChangeNotificationCollection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for ChangeNotificationCollection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for ChangeNotificationCollection {
    fn sample() -> Self {
        Self {
            validation_tokens: Some(vec![Sample::sample()]),
            value: Some(vec![Sample::sample()]),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.changeNotificationEncryptedContent`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChangeNotificationEncryptedContent {
    /// `data`: `Edm.String`
    pub data: Option<String>,
    /// `dataKey`: `Edm.String`
    pub data_key: Option<String>,
    /// `dataSignature`: `Edm.String`
    pub data_signature: Option<String>,
    /// `encryptionCertificateId`: `Edm.String`
    pub encryption_certificate_id: Option<String>,
    /// `encryptionCertificateThumbprint`: `Edm.String`
    pub encryption_certificate_thumbprint: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for ChangeNotificationEncryptedContent {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.changeNotificationEncryptedContent";
    const PROPERTY_NAMES: &'static [&'static str] = &["data", "dataKey", "dataSignature", "encryptionCertificateId", "encryptionCertificateThumbprint"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            data: super::take(&mut object, "data")?,
            data_key: super::take(&mut object, "dataKey")?,
            data_signature: super::take(&mut object, "dataSignature")?,
            encryption_certificate_id: super::take(&mut object, "encryptionCertificateId")?,
            encryption_certificate_thumbprint: super::take(&mut object, "encryptionCertificateThumbprint")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl ChangeNotificationEncryptedContent {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("data", &self.data)?;
        out.property("dataKey", &self.data_key)?;
        out.property("dataSignature", &self.data_signature)?;
        out.property("encryptionCertificateId", &self.encryption_certificate_id)?;
        out.property("encryptionCertificateThumbprint", &self.encryption_certificate_thumbprint)?;
        out.end()
    }
}

impl Serialize for ChangeNotificationEncryptedContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for ChangeNotificationEncryptedContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for ChangeNotificationEncryptedContent {
    fn sample() -> Self {
        Self {
            data: Some(Sample::sample()),
            data_key: Some(Sample::sample()),
            data_signature: Some(Sample::sample()),
            encryption_certificate_id: Some(Sample::sample()),
            encryption_certificate_thumbprint: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.communicationsApplicationIdentity`: open complex type derived from `microsoft.graph.identity`.
///
/// In a slot of type `microsoft.graph.identity` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommunicationsApplicationIdentity {
    /// `displayName`: `Edm.String`
    pub display_name: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `applicationType`: `Edm.String`
    pub application_type: Option<String>,
    /// `hidden`: `Edm.Boolean`
    pub hidden: Option<bool>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for CommunicationsApplicationIdentity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.communicationsApplicationIdentity";
    const PROPERTY_NAMES: &'static [&'static str] = &["displayName", "id", "applicationType", "hidden"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            display_name: super::take(&mut object, "displayName")?,
            id: super::take(&mut object, "id")?,
            application_type: super::take(&mut object, "applicationType")?,
            hidden: super::take(&mut object, "hidden")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl CommunicationsApplicationIdentity {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("displayName", &self.display_name)?;
        out.property("id", &self.id)?;
        out.property("applicationType", &self.application_type)?;
        out.property("hidden", &self.hidden)?;
        out.end()
    }
}

impl Serialize for CommunicationsApplicationIdentity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for CommunicationsApplicationIdentity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for CommunicationsApplicationIdentity {
    fn sample() -> Self {
        Self {
            display_name: Some(Sample::sample()),
            id: Some(Sample::sample()),
            application_type: Some(Sample::sample()),
            hidden: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.communicationsApplicationInstanceIdentity`: open complex type derived from `microsoft.graph.identity`.
///
/// In a slot of type `microsoft.graph.identity` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommunicationsApplicationInstanceIdentity {
    /// `displayName`: `Edm.String`
    pub display_name: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `hidden`: `Edm.Boolean`
    pub hidden: Option<bool>,
    /// `tenantId`: `Edm.String`
    pub tenant_id: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for CommunicationsApplicationInstanceIdentity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.communicationsApplicationInstanceIdentity";
    const PROPERTY_NAMES: &'static [&'static str] = &["displayName", "id", "hidden", "tenantId"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            display_name: super::take(&mut object, "displayName")?,
            id: super::take(&mut object, "id")?,
            hidden: super::take(&mut object, "hidden")?,
            tenant_id: super::take(&mut object, "tenantId")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl CommunicationsApplicationInstanceIdentity {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("displayName", &self.display_name)?;
        out.property("id", &self.id)?;
        out.property("hidden", &self.hidden)?;
        out.property("tenantId", &self.tenant_id)?;
        out.end()
    }
}

impl Serialize for CommunicationsApplicationInstanceIdentity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for CommunicationsApplicationInstanceIdentity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for CommunicationsApplicationInstanceIdentity {
    fn sample() -> Self {
        Self {
            display_name: Some(Sample::sample()),
            id: Some(Sample::sample()),
            hidden: Some(Sample::sample()),
            tenant_id: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.communicationsEncryptedIdentity`: open complex type derived from `microsoft.graph.identity`.
///
/// In a slot of type `microsoft.graph.identity` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommunicationsEncryptedIdentity {
    /// `displayName`: `Edm.String`
    pub display_name: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for CommunicationsEncryptedIdentity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.communicationsEncryptedIdentity";
    const PROPERTY_NAMES: &'static [&'static str] = &["displayName", "id"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            display_name: super::take(&mut object, "displayName")?,
            id: super::take(&mut object, "id")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl CommunicationsEncryptedIdentity {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("displayName", &self.display_name)?;
        out.property("id", &self.id)?;
        out.end()
    }
}

impl Serialize for CommunicationsEncryptedIdentity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for CommunicationsEncryptedIdentity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for CommunicationsEncryptedIdentity {
    fn sample() -> Self {
        Self {
            display_name: Some(Sample::sample()),
            id: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.communicationsGuestIdentity`: open complex type derived from `microsoft.graph.identity`.
///
/// In a slot of type `microsoft.graph.identity` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommunicationsGuestIdentity {
    /// `displayName`: `Edm.String`
    pub display_name: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `email`: `Edm.String`
    pub email: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for CommunicationsGuestIdentity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.communicationsGuestIdentity";
    const PROPERTY_NAMES: &'static [&'static str] = &["displayName", "id", "email"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            display_name: super::take(&mut object, "displayName")?,
            id: super::take(&mut object, "id")?,
            email: super::take(&mut object, "email")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl CommunicationsGuestIdentity {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("displayName", &self.display_name)?;
        out.property("id", &self.id)?;
        out.property("email", &self.email)?;
        out.end()
    }
}

impl Serialize for CommunicationsGuestIdentity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for CommunicationsGuestIdentity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for CommunicationsGuestIdentity {
    fn sample() -> Self {
        Self {
            display_name: Some(Sample::sample()),
            id: Some(Sample::sample()),
            email: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.communicationsIdentitySet`: open complex type derived from `microsoft.graph.identitySet`.
///
/// In a slot of type `microsoft.graph.identitySet` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommunicationsIdentitySet {
    /// `application`: `microsoft.graph.identity`
    pub application: Option<AnyIdentity>,
    /// `device`: `microsoft.graph.identity`
    pub device: Option<AnyIdentity>,
    /// `user`: `microsoft.graph.identity`
    pub user: Option<AnyIdentity>,
    /// `applicationInstance`: `microsoft.graph.identity`
    pub application_instance: Option<AnyIdentity>,
    /// `assertedIdentity`: `microsoft.graph.identity`
    pub asserted_identity: Option<AnyIdentity>,
    /// `azureCommunicationServicesUser`: `microsoft.graph.identity`
    pub azure_communication_services_user: Option<AnyIdentity>,
    /// `encrypted`: `microsoft.graph.identity`
    pub encrypted: Option<AnyIdentity>,
    /// `endpointType`: `microsoft.graph.endpointType`
    pub endpoint_type: Option<EndpointType>,
    /// `guest`: `microsoft.graph.identity`
    pub guest: Option<AnyIdentity>,
    /// `onPremises`: `microsoft.graph.identity`
    pub on_premises: Option<AnyIdentity>,
    /// `phone`: `microsoft.graph.identity`
    pub phone: Option<AnyIdentity>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for CommunicationsIdentitySet {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.communicationsIdentitySet";
    const PROPERTY_NAMES: &'static [&'static str] = &["application", "device", "user", "applicationInstance", "assertedIdentity", "azureCommunicationServicesUser", "encrypted", "endpointType", "guest", "onPremises", "phone"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            application: super::take(&mut object, "application")?,
            device: super::take(&mut object, "device")?,
            user: super::take(&mut object, "user")?,
            application_instance: super::take(&mut object, "applicationInstance")?,
            asserted_identity: super::take(&mut object, "assertedIdentity")?,
            azure_communication_services_user: super::take(&mut object, "azureCommunicationServicesUser")?,
            encrypted: super::take(&mut object, "encrypted")?,
            endpoint_type: super::take(&mut object, "endpointType")?,
            guest: super::take(&mut object, "guest")?,
            on_premises: super::take(&mut object, "onPremises")?,
            phone: super::take(&mut object, "phone")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl CommunicationsIdentitySet {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("application", &self.application)?;
        out.property("device", &self.device)?;
        out.property("user", &self.user)?;
        out.property("applicationInstance", &self.application_instance)?;
        out.property("assertedIdentity", &self.asserted_identity)?;
        out.property("azureCommunicationServicesUser", &self.azure_communication_services_user)?;
        out.property("encrypted", &self.encrypted)?;
        out.property("endpointType", &self.endpoint_type)?;
        out.property("guest", &self.guest)?;
        out.property("onPremises", &self.on_premises)?;
        out.property("phone", &self.phone)?;
        out.end()
    }
}

impl Serialize for CommunicationsIdentitySet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for CommunicationsIdentitySet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for CommunicationsIdentitySet {
    fn sample() -> Self {
        Self {
            application: Some(Sample::sample()),
            device: Some(Sample::sample()),
            user: Some(Sample::sample()),
            application_instance: Some(Sample::sample()),
            asserted_identity: Some(Sample::sample()),
            azure_communication_services_user: Some(Sample::sample()),
            encrypted: Some(Sample::sample()),
            endpoint_type: Some(Sample::sample()),
            guest: Some(Sample::sample()),
            on_premises: Some(Sample::sample()),
            phone: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.communicationsPhoneIdentity`: open complex type derived from `microsoft.graph.identity`.
///
/// In a slot of type `microsoft.graph.identity` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommunicationsPhoneIdentity {
    /// `displayName`: `Edm.String`
    pub display_name: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for CommunicationsPhoneIdentity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.communicationsPhoneIdentity";
    const PROPERTY_NAMES: &'static [&'static str] = &["displayName", "id"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            display_name: super::take(&mut object, "displayName")?,
            id: super::take(&mut object, "id")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl CommunicationsPhoneIdentity {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("displayName", &self.display_name)?;
        out.property("id", &self.id)?;
        out.end()
    }
}

impl Serialize for CommunicationsPhoneIdentity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for CommunicationsPhoneIdentity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for CommunicationsPhoneIdentity {
    fn sample() -> Self {
        Self {
            display_name: Some(Sample::sample()),
            id: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.communicationsUserIdentity`: open complex type derived from `microsoft.graph.identity`.
///
/// In a slot of type `microsoft.graph.identity` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CommunicationsUserIdentity {
    /// `displayName`: `Edm.String`
    pub display_name: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `tenantId`: `Edm.String`
    pub tenant_id: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for CommunicationsUserIdentity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.communicationsUserIdentity";
    const PROPERTY_NAMES: &'static [&'static str] = &["displayName", "id", "tenantId"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            display_name: super::take(&mut object, "displayName")?,
            id: super::take(&mut object, "id")?,
            tenant_id: super::take(&mut object, "tenantId")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl CommunicationsUserIdentity {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("displayName", &self.display_name)?;
        out.property("id", &self.id)?;
        out.property("tenantId", &self.tenant_id)?;
        out.end()
    }
}

impl Serialize for CommunicationsUserIdentity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for CommunicationsUserIdentity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for CommunicationsUserIdentity {
    fn sample() -> Self {
        Self {
            display_name: Some(Sample::sample()),
            id: Some(Sample::sample()),
            tenant_id: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.entity`: abstract entity type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entity {
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for Entity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.entity";
    const PROPERTY_NAMES: &'static [&'static str] = &["id"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: super::take(&mut object, "id")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl Entity {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("id", &self.id)?;
        out.end()
    }
}

impl Serialize for Entity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for Entity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for Entity {
    fn sample() -> Self {
        Self {
            id: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.identity`: open complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Identity {
    /// `displayName`: `Edm.String`
    pub display_name: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for Identity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.identity";
    const PROPERTY_NAMES: &'static [&'static str] = &["displayName", "id"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            display_name: super::take(&mut object, "displayName")?,
            id: super::take(&mut object, "id")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl Identity {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("displayName", &self.display_name)?;
        out.property("id", &self.id)?;
        out.end()
    }
}

impl Serialize for Identity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for Identity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for Identity {
    fn sample() -> Self {
        Self {
            display_name: Some(Sample::sample()),
            id: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// A `microsoft.graph.identity` or a type derived from it, chosen by `@odata.type` when read.
///
/// A value without `@odata.type`, or with one this schema does not derive from the type, is read as
/// `microsoft.graph.identity`; an unknown `@odata.type` is kept in its `additional_data`.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::enum_variant_names)] // named after the schema types
pub enum AnyIdentity {
    /// `microsoft.graph.identity`
    Identity(Box<Identity>),
    /// `microsoft.graph.azureCommunicationServicesUserIdentity`
    AzureCommunicationServicesUserIdentity(Box<AzureCommunicationServicesUserIdentity>),
    /// `microsoft.graph.callRecords.userIdentity`
    CallRecordsUserIdentity(Box<super::call_records::UserIdentity>),
    /// `microsoft.graph.communicationsApplicationIdentity`
    CommunicationsApplicationIdentity(Box<CommunicationsApplicationIdentity>),
    /// `microsoft.graph.communicationsApplicationInstanceIdentity`
    CommunicationsApplicationInstanceIdentity(Box<CommunicationsApplicationInstanceIdentity>),
    /// `microsoft.graph.communicationsEncryptedIdentity`
    CommunicationsEncryptedIdentity(Box<CommunicationsEncryptedIdentity>),
    /// `microsoft.graph.communicationsGuestIdentity`
    CommunicationsGuestIdentity(Box<CommunicationsGuestIdentity>),
    /// `microsoft.graph.communicationsPhoneIdentity`
    CommunicationsPhoneIdentity(Box<CommunicationsPhoneIdentity>),
    /// `microsoft.graph.communicationsUserIdentity`
    CommunicationsUserIdentity(Box<CommunicationsUserIdentity>),
    /// `microsoft.graph.userIdentity`
    UserIdentity(Box<UserIdentity>),
}

impl AnyIdentity {
    /// The qualified name of the type held.
    pub fn qualified_name(&self) -> &'static str {
        match self {
            Self::Identity(_) => "microsoft.graph.identity",
            Self::AzureCommunicationServicesUserIdentity(_) => "microsoft.graph.azureCommunicationServicesUserIdentity",
            Self::CallRecordsUserIdentity(_) => "microsoft.graph.callRecords.userIdentity",
            Self::CommunicationsApplicationIdentity(_) => "microsoft.graph.communicationsApplicationIdentity",
            Self::CommunicationsApplicationInstanceIdentity(_) => "microsoft.graph.communicationsApplicationInstanceIdentity",
            Self::CommunicationsEncryptedIdentity(_) => "microsoft.graph.communicationsEncryptedIdentity",
            Self::CommunicationsGuestIdentity(_) => "microsoft.graph.communicationsGuestIdentity",
            Self::CommunicationsPhoneIdentity(_) => "microsoft.graph.communicationsPhoneIdentity",
            Self::CommunicationsUserIdentity(_) => "microsoft.graph.communicationsUserIdentity",
            Self::UserIdentity(_) => "microsoft.graph.userIdentity",
        }
    }
}

impl Default for AnyIdentity {
    fn default() -> Self {
        Self::Identity(Box::default())
    }
}

impl From<Identity> for AnyIdentity {
    fn from(value: Identity) -> Self {
        Self::Identity(Box::new(value))
    }
}

impl From<AzureCommunicationServicesUserIdentity> for AnyIdentity {
    fn from(value: AzureCommunicationServicesUserIdentity) -> Self {
        Self::AzureCommunicationServicesUserIdentity(Box::new(value))
    }
}

impl From<super::call_records::UserIdentity> for AnyIdentity {
    fn from(value: super::call_records::UserIdentity) -> Self {
        Self::CallRecordsUserIdentity(Box::new(value))
    }
}

impl From<CommunicationsApplicationIdentity> for AnyIdentity {
    fn from(value: CommunicationsApplicationIdentity) -> Self {
        Self::CommunicationsApplicationIdentity(Box::new(value))
    }
}

impl From<CommunicationsApplicationInstanceIdentity> for AnyIdentity {
    fn from(value: CommunicationsApplicationInstanceIdentity) -> Self {
        Self::CommunicationsApplicationInstanceIdentity(Box::new(value))
    }
}

impl From<CommunicationsEncryptedIdentity> for AnyIdentity {
    fn from(value: CommunicationsEncryptedIdentity) -> Self {
        Self::CommunicationsEncryptedIdentity(Box::new(value))
    }
}

impl From<CommunicationsGuestIdentity> for AnyIdentity {
    fn from(value: CommunicationsGuestIdentity) -> Self {
        Self::CommunicationsGuestIdentity(Box::new(value))
    }
}

impl From<CommunicationsPhoneIdentity> for AnyIdentity {
    fn from(value: CommunicationsPhoneIdentity) -> Self {
        Self::CommunicationsPhoneIdentity(Box::new(value))
    }
}

impl From<CommunicationsUserIdentity> for AnyIdentity {
    fn from(value: CommunicationsUserIdentity) -> Self {
        Self::CommunicationsUserIdentity(Box::new(value))
    }
}

impl From<UserIdentity> for AnyIdentity {
    fn from(value: UserIdentity) -> Self {
        Self::UserIdentity(Box::new(value))
    }
}

impl Serialize for AnyIdentity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Identity(value) => value.write_json(serializer, None),
            Self::AzureCommunicationServicesUserIdentity(value) => value.write_json(serializer, Some("#microsoft.graph.azureCommunicationServicesUserIdentity")),
            Self::CallRecordsUserIdentity(value) => value.write_json(serializer, Some("#microsoft.graph.callRecords.userIdentity")),
            Self::CommunicationsApplicationIdentity(value) => value.write_json(serializer, Some("#microsoft.graph.communicationsApplicationIdentity")),
            Self::CommunicationsApplicationInstanceIdentity(value) => value.write_json(serializer, Some("#microsoft.graph.communicationsApplicationInstanceIdentity")),
            Self::CommunicationsEncryptedIdentity(value) => value.write_json(serializer, Some("#microsoft.graph.communicationsEncryptedIdentity")),
            Self::CommunicationsGuestIdentity(value) => value.write_json(serializer, Some("#microsoft.graph.communicationsGuestIdentity")),
            Self::CommunicationsPhoneIdentity(value) => value.write_json(serializer, Some("#microsoft.graph.communicationsPhoneIdentity")),
            Self::CommunicationsUserIdentity(value) => value.write_json(serializer, Some("#microsoft.graph.communicationsUserIdentity")),
            Self::UserIdentity(value) => value.write_json(serializer, Some("#microsoft.graph.userIdentity")),
        }
    }
}

impl<'de> Deserialize<'de> for AnyIdentity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl SchemaObject for AnyIdentity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.identity";
    const PROPERTY_NAMES: &'static [&'static str] = Identity::PROPERTY_NAMES;

    fn from_json_object(object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        match object.get("@odata.type").and_then(Value::as_str) {
            Some("#microsoft.graph.azureCommunicationServicesUserIdentity") => super::read_derived::<AzureCommunicationServicesUserIdentity>(object, "#microsoft.graph.azureCommunicationServicesUserIdentity").map(Self::from),
            Some("#microsoft.graph.callRecords.userIdentity") => super::read_derived::<super::call_records::UserIdentity>(object, "#microsoft.graph.callRecords.userIdentity").map(Self::from),
            Some("#microsoft.graph.communicationsApplicationIdentity") => super::read_derived::<CommunicationsApplicationIdentity>(object, "#microsoft.graph.communicationsApplicationIdentity").map(Self::from),
            Some("#microsoft.graph.communicationsApplicationInstanceIdentity") => super::read_derived::<CommunicationsApplicationInstanceIdentity>(object, "#microsoft.graph.communicationsApplicationInstanceIdentity").map(Self::from),
            Some("#microsoft.graph.communicationsEncryptedIdentity") => super::read_derived::<CommunicationsEncryptedIdentity>(object, "#microsoft.graph.communicationsEncryptedIdentity").map(Self::from),
            Some("#microsoft.graph.communicationsGuestIdentity") => super::read_derived::<CommunicationsGuestIdentity>(object, "#microsoft.graph.communicationsGuestIdentity").map(Self::from),
            Some("#microsoft.graph.communicationsPhoneIdentity") => super::read_derived::<CommunicationsPhoneIdentity>(object, "#microsoft.graph.communicationsPhoneIdentity").map(Self::from),
            Some("#microsoft.graph.communicationsUserIdentity") => super::read_derived::<CommunicationsUserIdentity>(object, "#microsoft.graph.communicationsUserIdentity").map(Self::from),
            Some("#microsoft.graph.userIdentity") => super::read_derived::<UserIdentity>(object, "#microsoft.graph.userIdentity").map(Self::from),
            _ => Identity::from_json_object(object).map(Self::from),
        }
    }

    fn additional_data(&self) -> &Map<String, Value> {
        match self {
            Self::Identity(value) => &value.additional_data,
            Self::AzureCommunicationServicesUserIdentity(value) => &value.additional_data,
            Self::CallRecordsUserIdentity(value) => &value.additional_data,
            Self::CommunicationsApplicationIdentity(value) => &value.additional_data,
            Self::CommunicationsApplicationInstanceIdentity(value) => &value.additional_data,
            Self::CommunicationsEncryptedIdentity(value) => &value.additional_data,
            Self::CommunicationsGuestIdentity(value) => &value.additional_data,
            Self::CommunicationsPhoneIdentity(value) => &value.additional_data,
            Self::CommunicationsUserIdentity(value) => &value.additional_data,
            Self::UserIdentity(value) => &value.additional_data,
        }
    }

    fn type_name(&self) -> &'static str {
        self.qualified_name()
    }
}

impl Sample for AnyIdentity {
    fn sample() -> Self {
        Self::from(Identity::sample())
    }
}

/// `microsoft.graph.identitySet`: open complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdentitySet {
    /// `application`: `microsoft.graph.identity`
    pub application: Option<AnyIdentity>,
    /// `device`: `microsoft.graph.identity`
    pub device: Option<AnyIdentity>,
    /// `user`: `microsoft.graph.identity`
    pub user: Option<AnyIdentity>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for IdentitySet {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.identitySet";
    const PROPERTY_NAMES: &'static [&'static str] = &["application", "device", "user"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            application: super::take(&mut object, "application")?,
            device: super::take(&mut object, "device")?,
            user: super::take(&mut object, "user")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl IdentitySet {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("application", &self.application)?;
        out.property("device", &self.device)?;
        out.property("user", &self.user)?;
        out.end()
    }
}

impl Serialize for IdentitySet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for IdentitySet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for IdentitySet {
    fn sample() -> Self {
        Self {
            application: Some(Sample::sample()),
            device: Some(Sample::sample()),
            user: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// A `microsoft.graph.identitySet` or a type derived from it, chosen by `@odata.type` when read.
///
/// A value without `@odata.type`, or with one this schema does not derive from the type, is read as
/// `microsoft.graph.identitySet`; an unknown `@odata.type` is kept in its `additional_data`.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::enum_variant_names)] // named after the schema types
pub enum AnyIdentitySet {
    /// `microsoft.graph.identitySet`
    IdentitySet(Box<IdentitySet>),
    /// `microsoft.graph.communicationsIdentitySet`
    CommunicationsIdentitySet(Box<CommunicationsIdentitySet>),
}

impl AnyIdentitySet {
    /// The qualified name of the type held.
    pub fn qualified_name(&self) -> &'static str {
        match self {
            Self::IdentitySet(_) => "microsoft.graph.identitySet",
            Self::CommunicationsIdentitySet(_) => "microsoft.graph.communicationsIdentitySet",
        }
    }
}

impl Default for AnyIdentitySet {
    fn default() -> Self {
        Self::IdentitySet(Box::default())
    }
}

impl From<IdentitySet> for AnyIdentitySet {
    fn from(value: IdentitySet) -> Self {
        Self::IdentitySet(Box::new(value))
    }
}

impl From<CommunicationsIdentitySet> for AnyIdentitySet {
    fn from(value: CommunicationsIdentitySet) -> Self {
        Self::CommunicationsIdentitySet(Box::new(value))
    }
}

impl Serialize for AnyIdentitySet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::IdentitySet(value) => value.write_json(serializer, None),
            Self::CommunicationsIdentitySet(value) => value.write_json(serializer, Some("#microsoft.graph.communicationsIdentitySet")),
        }
    }
}

impl<'de> Deserialize<'de> for AnyIdentitySet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl SchemaObject for AnyIdentitySet {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.identitySet";
    const PROPERTY_NAMES: &'static [&'static str] = IdentitySet::PROPERTY_NAMES;

    fn from_json_object(object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        match object.get("@odata.type").and_then(Value::as_str) {
            Some("#microsoft.graph.communicationsIdentitySet") => super::read_derived::<CommunicationsIdentitySet>(object, "#microsoft.graph.communicationsIdentitySet").map(Self::from),
            _ => IdentitySet::from_json_object(object).map(Self::from),
        }
    }

    fn additional_data(&self) -> &Map<String, Value> {
        match self {
            Self::IdentitySet(value) => &value.additional_data,
            Self::CommunicationsIdentitySet(value) => &value.additional_data,
        }
    }

    fn type_name(&self) -> &'static str {
        self.qualified_name()
    }
}

impl Sample for AnyIdentitySet {
    fn sample() -> Self {
        Self::from(IdentitySet::sample())
    }
}

/// `microsoft.graph.resourceData`: open complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResourceData {
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for ResourceData {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.resourceData";
    const PROPERTY_NAMES: &'static [&'static str] = &[];

    fn from_json_object(object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl ResourceData {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.end()
    }
}

impl Serialize for ResourceData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for ResourceData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for ResourceData {
    fn sample() -> Self {
        Self {
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.subscription`: entity type derived from `microsoft.graph.entity`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Subscription {
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `applicationId`: `Edm.String`
    pub application_id: Option<String>,
    /// `changeType`: `Edm.String`
    pub change_type: Option<String>,
    /// `clientState`: `Edm.String`
    pub client_state: Option<String>,
    /// `creatorId`: `Edm.String`
    pub creator_id: Option<String>,
    /// `encryptionCertificate`: `Edm.String`
    pub encryption_certificate: Option<String>,
    /// `encryptionCertificateId`: `Edm.String`
    pub encryption_certificate_id: Option<String>,
    /// `expirationDateTime`: `Edm.DateTimeOffset`
    pub expiration_date_time: Option<super::DateTimeOffset>,
    /// `includeResourceData`: `Edm.Boolean`
    pub include_resource_data: Option<bool>,
    /// `latestSupportedTlsVersion`: `Edm.String`
    pub latest_supported_tls_version: Option<String>,
    /// `lifecycleNotificationUrl`: `Edm.String`
    pub lifecycle_notification_url: Option<String>,
    /// `notificationQueryOptions`: `Edm.String`
    pub notification_query_options: Option<String>,
    /// `notificationUrl`: `Edm.String`
    pub notification_url: Option<String>,
    /// `notificationUrlAppId`: `Edm.String`
    pub notification_url_app_id: Option<String>,
    /// `resource`: `Edm.String`
    pub resource: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for Subscription {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.subscription";
    const PROPERTY_NAMES: &'static [&'static str] = &["id", "applicationId", "changeType", "clientState", "creatorId", "encryptionCertificate", "encryptionCertificateId", "expirationDateTime", "includeResourceData", "latestSupportedTlsVersion", "lifecycleNotificationUrl", "notificationQueryOptions", "notificationUrl", "notificationUrlAppId", "resource"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: super::take(&mut object, "id")?,
            application_id: super::take(&mut object, "applicationId")?,
            change_type: super::take(&mut object, "changeType")?,
            client_state: super::take(&mut object, "clientState")?,
            creator_id: super::take(&mut object, "creatorId")?,
            encryption_certificate: super::take(&mut object, "encryptionCertificate")?,
            encryption_certificate_id: super::take(&mut object, "encryptionCertificateId")?,
            expiration_date_time: super::take(&mut object, "expirationDateTime")?,
            include_resource_data: super::take(&mut object, "includeResourceData")?,
            latest_supported_tls_version: super::take(&mut object, "latestSupportedTlsVersion")?,
            lifecycle_notification_url: super::take(&mut object, "lifecycleNotificationUrl")?,
            notification_query_options: super::take(&mut object, "notificationQueryOptions")?,
            notification_url: super::take(&mut object, "notificationUrl")?,
            notification_url_app_id: super::take(&mut object, "notificationUrlAppId")?,
            resource: super::take(&mut object, "resource")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl Subscription {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("id", &self.id)?;
        out.property("applicationId", &self.application_id)?;
        out.property("changeType", &self.change_type)?;
        out.property("clientState", &self.client_state)?;
        out.property("creatorId", &self.creator_id)?;
        out.property("encryptionCertificate", &self.encryption_certificate)?;
        out.property("encryptionCertificateId", &self.encryption_certificate_id)?;
        out.property("expirationDateTime", &self.expiration_date_time)?;
        out.property("includeResourceData", &self.include_resource_data)?;
        out.property("latestSupportedTlsVersion", &self.latest_supported_tls_version)?;
        out.property("lifecycleNotificationUrl", &self.lifecycle_notification_url)?;
        out.property("notificationQueryOptions", &self.notification_query_options)?;
        out.property("notificationUrl", &self.notification_url)?;
        out.property("notificationUrlAppId", &self.notification_url_app_id)?;
        out.property("resource", &self.resource)?;
        out.end()
    }
}

impl Serialize for Subscription {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for Subscription {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for Subscription {
    fn sample() -> Self {
        Self {
            id: Some(Sample::sample()),
            application_id: Some(Sample::sample()),
            change_type: Some(Sample::sample()),
            client_state: Some(Sample::sample()),
            creator_id: Some(Sample::sample()),
            encryption_certificate: Some(Sample::sample()),
            encryption_certificate_id: Some(Sample::sample()),
            expiration_date_time: Some(Sample::sample()),
            include_resource_data: Some(Sample::sample()),
            latest_supported_tls_version: Some(Sample::sample()),
            lifecycle_notification_url: Some(Sample::sample()),
            notification_query_options: Some(Sample::sample()),
            notification_url: Some(Sample::sample()),
            notification_url_app_id: Some(Sample::sample()),
            resource: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.userIdentity`: open complex type derived from `microsoft.graph.identity`.
///
/// In a slot of type `microsoft.graph.identity` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserIdentity {
    /// `displayName`: `Edm.String`
    pub display_name: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `ipAddress`: `Edm.String`
    pub ip_address: Option<String>,
    /// `userPrincipalName`: `Edm.String`
    pub user_principal_name: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for UserIdentity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.userIdentity";
    const PROPERTY_NAMES: &'static [&'static str] = &["displayName", "id", "ipAddress", "userPrincipalName"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            display_name: super::take(&mut object, "displayName")?,
            id: super::take(&mut object, "id")?,
            ip_address: super::take(&mut object, "ipAddress")?,
            user_principal_name: super::take(&mut object, "userPrincipalName")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl UserIdentity {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("displayName", &self.display_name)?;
        out.property("id", &self.id)?;
        out.property("ipAddress", &self.ip_address)?;
        out.property("userPrincipalName", &self.user_principal_name)?;
        out.end()
    }
}

impl Serialize for UserIdentity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for UserIdentity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for UserIdentity {
    fn sample() -> Self {
        Self {
            display_name: Some(Sample::sample()),
            id: Some(Sample::sample()),
            ip_address: Some(Sample::sample()),
            user_principal_name: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// A fully populated value of the named type, as JSON.
pub(super) fn sample_json(qualified_name: &str) -> Option<Value> {
    match qualified_name {
        "microsoft.graph.azureCommunicationServicesUserIdentity" => Some(super::sample_json_of::<AnyIdentity>(&AnyIdentity::from(AzureCommunicationServicesUserIdentity::sample()))),
        "microsoft.graph.changeNotification" => Some(super::sample_json_of(&ChangeNotification::sample())),
        "microsoft.graph.changeNotificationCollection" => Some(super::sample_json_of(&ChangeNotificationCollection::sample())),
        "microsoft.graph.changeNotificationEncryptedContent" => Some(super::sample_json_of(&ChangeNotificationEncryptedContent::sample())),
        "microsoft.graph.communicationsApplicationIdentity" => Some(super::sample_json_of::<AnyIdentity>(&AnyIdentity::from(CommunicationsApplicationIdentity::sample()))),
        "microsoft.graph.communicationsApplicationInstanceIdentity" => Some(super::sample_json_of::<AnyIdentity>(&AnyIdentity::from(CommunicationsApplicationInstanceIdentity::sample()))),
        "microsoft.graph.communicationsEncryptedIdentity" => Some(super::sample_json_of::<AnyIdentity>(&AnyIdentity::from(CommunicationsEncryptedIdentity::sample()))),
        "microsoft.graph.communicationsGuestIdentity" => Some(super::sample_json_of::<AnyIdentity>(&AnyIdentity::from(CommunicationsGuestIdentity::sample()))),
        "microsoft.graph.communicationsIdentitySet" => Some(super::sample_json_of::<AnyIdentitySet>(&AnyIdentitySet::from(CommunicationsIdentitySet::sample()))),
        "microsoft.graph.communicationsPhoneIdentity" => Some(super::sample_json_of::<AnyIdentity>(&AnyIdentity::from(CommunicationsPhoneIdentity::sample()))),
        "microsoft.graph.communicationsUserIdentity" => Some(super::sample_json_of::<AnyIdentity>(&AnyIdentity::from(CommunicationsUserIdentity::sample()))),
        "microsoft.graph.entity" => Some(super::sample_json_of(&Entity::sample())),
        "microsoft.graph.identity" => Some(super::sample_json_of(&Identity::sample())),
        "microsoft.graph.identitySet" => Some(super::sample_json_of(&IdentitySet::sample())),
        "microsoft.graph.resourceData" => Some(super::sample_json_of(&ResourceData::sample())),
        "microsoft.graph.subscription" => Some(super::sample_json_of(&Subscription::sample())),
        "microsoft.graph.userIdentity" => Some(super::sample_json_of::<AnyIdentity>(&AnyIdentity::from(UserIdentity::sample()))),
        _ => None,
    }
}

/// Reads `json` as the named type and writes it back.
pub(super) fn reread(qualified_name: &str, json: Value) -> Option<Result<super::Reread, serde_json::Error>> {
    match qualified_name {
        "microsoft.graph.azureCommunicationServicesUserIdentity" => Some(super::reread_as::<AnyIdentity>(json)),
        "microsoft.graph.changeNotification" => Some(super::reread_as::<ChangeNotification>(json)),
        "microsoft.graph.changeNotificationCollection" => Some(super::reread_as::<ChangeNotificationCollection>(json)),
        "microsoft.graph.changeNotificationEncryptedContent" => Some(super::reread_as::<ChangeNotificationEncryptedContent>(json)),
        "microsoft.graph.communicationsApplicationIdentity" => Some(super::reread_as::<AnyIdentity>(json)),
        "microsoft.graph.communicationsApplicationInstanceIdentity" => Some(super::reread_as::<AnyIdentity>(json)),
        "microsoft.graph.communicationsEncryptedIdentity" => Some(super::reread_as::<AnyIdentity>(json)),
        "microsoft.graph.communicationsGuestIdentity" => Some(super::reread_as::<AnyIdentity>(json)),
        "microsoft.graph.communicationsIdentitySet" => Some(super::reread_as::<AnyIdentitySet>(json)),
        "microsoft.graph.communicationsPhoneIdentity" => Some(super::reread_as::<AnyIdentity>(json)),
        "microsoft.graph.communicationsUserIdentity" => Some(super::reread_as::<AnyIdentity>(json)),
        "microsoft.graph.entity" => Some(super::reread_as::<Entity>(json)),
        "microsoft.graph.identity" => Some(super::reread_as::<Identity>(json)),
        "microsoft.graph.identitySet" => Some(super::reread_as::<IdentitySet>(json)),
        "microsoft.graph.resourceData" => Some(super::reread_as::<ResourceData>(json)),
        "microsoft.graph.subscription" => Some(super::reread_as::<Subscription>(json)),
        "microsoft.graph.userIdentity" => Some(super::reread_as::<AnyIdentity>(json)),
        _ => None,
    }
}

/// Reads `member` as a member of the named enum and writes it back.
pub(super) fn enum_round_trip(qualified_name: &str, member: &str) -> Option<Result<(bool, Value), serde_json::Error>> {
    match qualified_name {
        "microsoft.graph.changeType" => Some(super::enum_round_trip_as::<ChangeType>(member)),
        "microsoft.graph.endpointType" => Some(super::enum_round_trip_as::<EndpointType>(member)),
        "microsoft.graph.lifecycleEventType" => Some(super::enum_round_trip_as::<LifecycleEventType>(member)),
        _ => None,
    }
}
