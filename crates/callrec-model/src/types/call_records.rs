//! The `microsoft.graph.callRecords` types of the schema, generated from `spec/callrecords-csdl-v1.0.xml`.
//!
//! Do not edit: `tests/schema/codegen.rs` of this crate writes this file, and the `schema` test fails
//! when it is stale (`CALLREC_UPDATE_GENERATED=1 cargo test -p callrec-model --test schema` rewrites it).
//! The JSON rules these types follow are described in [`crate::types`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{Sample, SchemaEnum, SchemaObject};

/// `microsoft.graph.callRecords.audioCodec`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum AudioCodec {
    /// `unknown`
    #[default]
    Unknown,
    /// `invalid`
    Invalid,
    /// `cn`
    Cn,
    /// `pcma`
    Pcma,
    /// `pcmu`
    Pcmu,
    /// `amrWide`
    AmrWide,
    /// `g722`
    G722,
    /// `g7221`
    G7221,
    /// `g7221c`
    G7221c,
    /// `g729`
    G729,
    /// `multiChannelAudio`
    MultiChannelAudio,
    /// `muchv2`
    Muchv2,
    /// `opus`
    Opus,
    /// `satin`
    Satin,
    /// `satinFullband`
    SatinFullband,
    /// `rtAudio8`
    RtAudio8,
    /// `rtAudio16`
    RtAudio16,
    /// `silk`
    Silk,
    /// `silkNarrow`
    SilkNarrow,
    /// `silkWide`
    SilkWide,
    /// `siren`
    Siren,
    /// `xmsRta`
    XmsRta,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl AudioCodec {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::Invalid => "invalid",
            Self::Cn => "cn",
            Self::Pcma => "pcma",
            Self::Pcmu => "pcmu",
            Self::AmrWide => "amrWide",
            Self::G722 => "g722",
            Self::G7221 => "g7221",
            Self::G7221c => "g7221c",
            Self::G729 => "g729",
            Self::MultiChannelAudio => "multiChannelAudio",
            Self::Muchv2 => "muchv2",
            Self::Opus => "opus",
            Self::Satin => "satin",
            Self::SatinFullband => "satinFullband",
            Self::RtAudio8 => "rtAudio8",
            Self::RtAudio16 => "rtAudio16",
            Self::Silk => "silk",
            Self::SilkNarrow => "silkNarrow",
            Self::SilkWide => "silkWide",
            Self::Siren => "siren",
            Self::XmsRta => "xmsRta",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "invalid" => Self::Invalid,
            "cn" => Self::Cn,
            "pcma" => Self::Pcma,
            "pcmu" => Self::Pcmu,
            "amrWide" => Self::AmrWide,
            "g722" => Self::G722,
            "g7221" => Self::G7221,
            "g7221c" => Self::G7221c,
            "g729" => Self::G729,
            "multiChannelAudio" => Self::MultiChannelAudio,
            "muchv2" => Self::Muchv2,
            "opus" => Self::Opus,
            "satin" => Self::Satin,
            "satinFullband" => Self::SatinFullband,
            "rtAudio8" => Self::RtAudio8,
            "rtAudio16" => Self::RtAudio16,
            "silk" => Self::Silk,
            "silkNarrow" => Self::SilkNarrow,
            "silkWide" => Self::SilkWide,
            "siren" => Self::Siren,
            "xmsRta" => Self::XmsRta,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for AudioCodec {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.audioCodec";
    const MEMBERS: &'static [&'static str] = &["unknown", "invalid", "cn", "pcma", "pcmu", "amrWide", "g722", "g7221", "g7221c", "g729", "multiChannelAudio", "muchv2", "opus", "satin", "satinFullband", "rtAudio8", "rtAudio16", "silk", "silkNarrow", "silkWide", "siren", "xmsRta", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for AudioCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for AudioCodec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AudioCodec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for AudioCodec {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.callType`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum CallType {
    /// `unknown`
    #[default]
    Unknown,
    /// `groupCall`
    GroupCall,
    /// `peerToPeer`
    PeerToPeer,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl CallType {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::GroupCall => "groupCall",
            Self::PeerToPeer => "peerToPeer",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "groupCall" => Self::GroupCall,
            "peerToPeer" => Self::PeerToPeer,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for CallType {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.callType";
    const MEMBERS: &'static [&'static str] = &["unknown", "groupCall", "peerToPeer", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for CallType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CallType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CallType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for CallType {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.clientPlatform`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum ClientPlatform {
    /// `unknown`
    #[default]
    Unknown,
    /// `windows`
    Windows,
    /// `macOS`
    MacOS,
    /// `iOS`
    Ios,
    /// `android`
    Android,
    /// `web`
    Web,
    /// `ipPhone`
    IpPhone,
    /// `roomSystem`
    RoomSystem,
    /// `surfaceHub`
    SurfaceHub,
    /// `holoLens`
    HoloLens,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl ClientPlatform {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::Windows => "windows",
            Self::MacOS => "macOS",
            Self::Ios => "iOS",
            Self::Android => "android",
            Self::Web => "web",
            Self::IpPhone => "ipPhone",
            Self::RoomSystem => "roomSystem",
            Self::SurfaceHub => "surfaceHub",
            Self::HoloLens => "holoLens",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "windows" => Self::Windows,
            "macOS" => Self::MacOS,
            "iOS" => Self::Ios,
            "android" => Self::Android,
            "web" => Self::Web,
            "ipPhone" => Self::IpPhone,
            "roomSystem" => Self::RoomSystem,
            "surfaceHub" => Self::SurfaceHub,
            "holoLens" => Self::HoloLens,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for ClientPlatform {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.clientPlatform";
    const MEMBERS: &'static [&'static str] = &["unknown", "windows", "macOS", "iOS", "android", "web", "ipPhone", "roomSystem", "surfaceHub", "holoLens", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for ClientPlatform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ClientPlatform {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ClientPlatform {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for ClientPlatform {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.failureStage`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum FailureStage {
    /// `unknown`
    #[default]
    Unknown,
    /// `callSetup`
    CallSetup,
    /// `midcall`
    Midcall,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl FailureStage {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::CallSetup => "callSetup",
            Self::Midcall => "midcall",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "callSetup" => Self::CallSetup,
            "midcall" => Self::Midcall,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for FailureStage {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.failureStage";
    const MEMBERS: &'static [&'static str] = &["unknown", "callSetup", "midcall", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for FailureStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FailureStage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FailureStage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for FailureStage {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.mediaStreamDirection`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum MediaStreamDirection {
    /// `callerToCallee`
    #[default]
    CallerToCallee,
    /// `calleeToCaller`
    CalleeToCaller,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl MediaStreamDirection {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::CallerToCallee => "callerToCallee",
            Self::CalleeToCaller => "calleeToCaller",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "callerToCallee" => Self::CallerToCallee,
            "calleeToCaller" => Self::CalleeToCaller,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for MediaStreamDirection {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.mediaStreamDirection";
    const MEMBERS: &'static [&'static str] = &["callerToCallee", "calleeToCaller"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for MediaStreamDirection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for MediaStreamDirection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MediaStreamDirection {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for MediaStreamDirection {
    fn sample() -> Self {
        Self::CallerToCallee
    }
}

/// `microsoft.graph.callRecords.modality`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Modality {
    /// `audio`
    #[default]
    Audio,
    /// `video`
    Video,
    /// `videoBasedScreenSharing`
    VideoBasedScreenSharing,
    /// `data`
    Data,
    /// `screenSharing`
    ScreenSharing,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl Modality {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Audio => "audio",
            Self::Video => "video",
            Self::VideoBasedScreenSharing => "videoBasedScreenSharing",
            Self::Data => "data",
            Self::ScreenSharing => "screenSharing",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "audio" => Self::Audio,
            "video" => Self::Video,
            "videoBasedScreenSharing" => Self::VideoBasedScreenSharing,
            "data" => Self::Data,
            "screenSharing" => Self::ScreenSharing,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for Modality {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.modality";
    const MEMBERS: &'static [&'static str] = &["audio", "video", "videoBasedScreenSharing", "data", "screenSharing", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for Modality {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Modality {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Modality {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for Modality {
    fn sample() -> Self {
        Self::Audio
    }
}

/// `microsoft.graph.callRecords.networkConnectionType`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum NetworkConnectionType {
    /// `unknown`
    #[default]
    Unknown,
    /// `wired`
    Wired,
    /// `wifi`
    Wifi,
    /// `mobile`
    Mobile,
    /// `tunnel`
    Tunnel,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl NetworkConnectionType {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::Wired => "wired",
            Self::Wifi => "wifi",
            Self::Mobile => "mobile",
            Self::Tunnel => "tunnel",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "wired" => Self::Wired,
            "wifi" => Self::Wifi,
            "mobile" => Self::Mobile,
            "tunnel" => Self::Tunnel,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for NetworkConnectionType {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.networkConnectionType";
    const MEMBERS: &'static [&'static str] = &["unknown", "wired", "wifi", "mobile", "tunnel", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for NetworkConnectionType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for NetworkConnectionType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for NetworkConnectionType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for NetworkConnectionType {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.networkTransportProtocol`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum NetworkTransportProtocol {
    /// `unknown`
    #[default]
    Unknown,
    /// `udp`
    Udp,
    /// `tcp`
    Tcp,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl NetworkTransportProtocol {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::Udp => "udp",
            Self::Tcp => "tcp",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "udp" => Self::Udp,
            "tcp" => Self::Tcp,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for NetworkTransportProtocol {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.networkTransportProtocol";
    const MEMBERS: &'static [&'static str] = &["unknown", "udp", "tcp", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for NetworkTransportProtocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for NetworkTransportProtocol {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for NetworkTransportProtocol {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for NetworkTransportProtocol {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.productFamily`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum ProductFamily {
    /// `unknown`
    #[default]
    Unknown,
    /// `teams`
    Teams,
    /// `skypeForBusiness`
    SkypeForBusiness,
    /// `lync`
    Lync,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// `azureCommunicationServices`
    AzureCommunicationServices,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl ProductFamily {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::Teams => "teams",
            Self::SkypeForBusiness => "skypeForBusiness",
            Self::Lync => "lync",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::AzureCommunicationServices => "azureCommunicationServices",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "teams" => Self::Teams,
            "skypeForBusiness" => Self::SkypeForBusiness,
            "lync" => Self::Lync,
            "unknownFutureValue" => Self::UnknownFutureValue,
            "azureCommunicationServices" => Self::AzureCommunicationServices,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for ProductFamily {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.productFamily";
    const MEMBERS: &'static [&'static str] = &["unknown", "teams", "skypeForBusiness", "lync", "unknownFutureValue", "azureCommunicationServices"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for ProductFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ProductFamily {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProductFamily {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for ProductFamily {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.pstnCallDurationSource`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum PstnCallDurationSource {
    /// `microsoft`
    #[default]
    Microsoft,
    /// `operator`
    Operator,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl PstnCallDurationSource {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Microsoft => "microsoft",
            Self::Operator => "operator",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "microsoft" => Self::Microsoft,
            "operator" => Self::Operator,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for PstnCallDurationSource {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.pstnCallDurationSource";
    const MEMBERS: &'static [&'static str] = &["microsoft", "operator"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for PstnCallDurationSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PstnCallDurationSource {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PstnCallDurationSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for PstnCallDurationSource {
    fn sample() -> Self {
        Self::Microsoft
    }
}

/// `microsoft.graph.callRecords.serviceRole`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum ServiceRole {
    /// `unknown`
    #[default]
    Unknown,
    /// `customBot`
    CustomBot,
    /// `skypeForBusinessMicrosoftTeamsGateway`
    SkypeForBusinessMicrosoftTeamsGateway,
    /// `skypeForBusinessAudioVideoMcu`
    SkypeForBusinessAudioVideoMcu,
    /// `skypeForBusinessApplicationSharingMcu`
    SkypeForBusinessApplicationSharingMcu,
    /// `skypeForBusinessCallQueues`
    SkypeForBusinessCallQueues,
    /// `skypeForBusinessAutoAttendant`
    SkypeForBusinessAutoAttendant,
    /// `mediationServer`
    MediationServer,
    /// `mediationServerCloudConnectorEdition`
    MediationServerCloudConnectorEdition,
    /// `exchangeUnifiedMessagingService`
    ExchangeUnifiedMessagingService,
    /// `mediaController`
    MediaController,
    /// `conferencingAnnouncementService`
    ConferencingAnnouncementService,
    /// `conferencingAttendant`
    ConferencingAttendant,
    /// `audioTeleconferencerController`
    AudioTeleconferencerController,
    /// `skypeForBusinessUnifiedCommunicationApplicationPlatform`
    SkypeForBusinessUnifiedCommunicationApplicationPlatform,
    /// `responseGroupServiceAnnouncementService`
    ResponseGroupServiceAnnouncementService,
    /// `gateway`
    Gateway,
    /// `skypeTranslator`
    SkypeTranslator,
    /// `skypeForBusinessAttendant`
    SkypeForBusinessAttendant,
    /// `responseGroupService`
    ResponseGroupService,
    /// `voicemail`
    Voicemail,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl ServiceRole {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::CustomBot => "customBot",
            Self::SkypeForBusinessMicrosoftTeamsGateway => "skypeForBusinessMicrosoftTeamsGateway",
            Self::SkypeForBusinessAudioVideoMcu => "skypeForBusinessAudioVideoMcu",
            Self::SkypeForBusinessApplicationSharingMcu => "skypeForBusinessApplicationSharingMcu",
            Self::SkypeForBusinessCallQueues => "skypeForBusinessCallQueues",
            Self::SkypeForBusinessAutoAttendant => "skypeForBusinessAutoAttendant",
            Self::MediationServer => "mediationServer",
            Self::MediationServerCloudConnectorEdition => "mediationServerCloudConnectorEdition",
            Self::ExchangeUnifiedMessagingService => "exchangeUnifiedMessagingService",
            Self::MediaController => "mediaController",
            Self::ConferencingAnnouncementService => "conferencingAnnouncementService",
            Self::ConferencingAttendant => "conferencingAttendant",
            Self::AudioTeleconferencerController => "audioTeleconferencerController",
            Self::SkypeForBusinessUnifiedCommunicationApplicationPlatform => "skypeForBusinessUnifiedCommunicationApplicationPlatform",
            Self::ResponseGroupServiceAnnouncementService => "responseGroupServiceAnnouncementService",
            Self::Gateway => "gateway",
            Self::SkypeTranslator => "skypeTranslator",
            Self::SkypeForBusinessAttendant => "skypeForBusinessAttendant",
            Self::ResponseGroupService => "responseGroupService",
            Self::Voicemail => "voicemail",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "customBot" => Self::CustomBot,
            "skypeForBusinessMicrosoftTeamsGateway" => Self::SkypeForBusinessMicrosoftTeamsGateway,
            "skypeForBusinessAudioVideoMcu" => Self::SkypeForBusinessAudioVideoMcu,
            "skypeForBusinessApplicationSharingMcu" => Self::SkypeForBusinessApplicationSharingMcu,
            "skypeForBusinessCallQueues" => Self::SkypeForBusinessCallQueues,
            "skypeForBusinessAutoAttendant" => Self::SkypeForBusinessAutoAttendant,
            "mediationServer" => Self::MediationServer,
            "mediationServerCloudConnectorEdition" => Self::MediationServerCloudConnectorEdition,
            "exchangeUnifiedMessagingService" => Self::ExchangeUnifiedMessagingService,
            "mediaController" => Self::MediaController,
            "conferencingAnnouncementService" => Self::ConferencingAnnouncementService,
            "conferencingAttendant" => Self::ConferencingAttendant,
            "audioTeleconferencerController" => Self::AudioTeleconferencerController,
            "skypeForBusinessUnifiedCommunicationApplicationPlatform" => Self::SkypeForBusinessUnifiedCommunicationApplicationPlatform,
            "responseGroupServiceAnnouncementService" => Self::ResponseGroupServiceAnnouncementService,
            "gateway" => Self::Gateway,
            "skypeTranslator" => Self::SkypeTranslator,
            "skypeForBusinessAttendant" => Self::SkypeForBusinessAttendant,
            "responseGroupService" => Self::ResponseGroupService,
            "voicemail" => Self::Voicemail,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for ServiceRole {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.serviceRole";
    const MEMBERS: &'static [&'static str] = &["unknown", "customBot", "skypeForBusinessMicrosoftTeamsGateway", "skypeForBusinessAudioVideoMcu", "skypeForBusinessApplicationSharingMcu", "skypeForBusinessCallQueues", "skypeForBusinessAutoAttendant", "mediationServer", "mediationServerCloudConnectorEdition", "exchangeUnifiedMessagingService", "mediaController", "conferencingAnnouncementService", "conferencingAttendant", "audioTeleconferencerController", "skypeForBusinessUnifiedCommunicationApplicationPlatform", "responseGroupServiceAnnouncementService", "gateway", "skypeTranslator", "skypeForBusinessAttendant", "responseGroupService", "voicemail", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for ServiceRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ServiceRole {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ServiceRole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for ServiceRole {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.userFeedbackRating`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum UserFeedbackRating {
    /// `notRated`
    #[default]
    NotRated,
    /// `bad`
    Bad,
    /// `poor`
    Poor,
    /// `fair`
    Fair,
    /// `good`
    Good,
    /// `excellent`
    Excellent,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl UserFeedbackRating {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::NotRated => "notRated",
            Self::Bad => "bad",
            Self::Poor => "poor",
            Self::Fair => "fair",
            Self::Good => "good",
            Self::Excellent => "excellent",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "notRated" => Self::NotRated,
            "bad" => Self::Bad,
            "poor" => Self::Poor,
            "fair" => Self::Fair,
            "good" => Self::Good,
            "excellent" => Self::Excellent,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for UserFeedbackRating {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.userFeedbackRating";
    const MEMBERS: &'static [&'static str] = &["notRated", "bad", "poor", "fair", "good", "excellent", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for UserFeedbackRating {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for UserFeedbackRating {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UserFeedbackRating {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for UserFeedbackRating {
    fn sample() -> Self {
        Self::NotRated
    }
}

/// `microsoft.graph.callRecords.videoCodec`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum VideoCodec {
    /// `unknown`
    #[default]
    Unknown,
    /// `invalid`
    Invalid,
    /// `av1`
    Av1,
    /// `h263`
    H263,
    /// `h264`
    H264,
    /// `h264s`
    H264s,
    /// `h264uc`
    H264uc,
    /// `h265`
    H265,
    /// `rtvc1`
    Rtvc1,
    /// `rtVideo`
    RtVideo,
    /// `xrtvc1`
    Xrtvc1,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl VideoCodec {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::Invalid => "invalid",
            Self::Av1 => "av1",
            Self::H263 => "h263",
            Self::H264 => "h264",
            Self::H264s => "h264s",
            Self::H264uc => "h264uc",
            Self::H265 => "h265",
            Self::Rtvc1 => "rtvc1",
            Self::RtVideo => "rtVideo",
            Self::Xrtvc1 => "xrtvc1",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "invalid" => Self::Invalid,
            "av1" => Self::Av1,
            "h263" => Self::H263,
            "h264" => Self::H264,
            "h264s" => Self::H264s,
            "h264uc" => Self::H264uc,
            "h265" => Self::H265,
            "rtvc1" => Self::Rtvc1,
            "rtVideo" => Self::RtVideo,
            "xrtvc1" => Self::Xrtvc1,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for VideoCodec {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.videoCodec";
    const MEMBERS: &'static [&'static str] = &["unknown", "invalid", "av1", "h263", "h264", "h264s", "h264uc", "h265", "rtvc1", "rtVideo", "xrtvc1", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for VideoCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for VideoCodec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for VideoCodec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for VideoCodec {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.wifiBand`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum WifiBand {
    /// `unknown`
    #[default]
    Unknown,
    /// `frequency24GHz`
    Frequency24GHz,
    /// `frequency50GHz`
    Frequency50GHz,
    /// `frequency60GHz`
    Frequency60GHz,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl WifiBand {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::Frequency24GHz => "frequency24GHz",
            Self::Frequency50GHz => "frequency50GHz",
            Self::Frequency60GHz => "frequency60GHz",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "frequency24GHz" => Self::Frequency24GHz,
            "frequency50GHz" => Self::Frequency50GHz,
            "frequency60GHz" => Self::Frequency60GHz,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for WifiBand {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.wifiBand";
    const MEMBERS: &'static [&'static str] = &["unknown", "frequency24GHz", "frequency50GHz", "frequency60GHz", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for WifiBand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for WifiBand {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for WifiBand {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for WifiBand {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.wifiRadioType`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum WifiRadioType {
    /// `unknown`
    #[default]
    Unknown,
    /// `wifi80211a`
    Wifi80211a,
    /// `wifi80211b`
    Wifi80211b,
    /// `wifi80211g`
    Wifi80211g,
    /// `wifi80211n`
    Wifi80211n,
    /// `wifi80211ac`
    Wifi80211ac,
    /// `wifi80211ax`
    Wifi80211ax,
    /// `unknownFutureValue`
    UnknownFutureValue,
    /// A member this schema does not declare, kept as it was read so that it is written back unchanged.
    Other(String),
}

impl WifiRadioType {
    /// The member name as written in JSON.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Unknown => "unknown",
            Self::Wifi80211a => "wifi80211a",
            Self::Wifi80211b => "wifi80211b",
            Self::Wifi80211g => "wifi80211g",
            Self::Wifi80211n => "wifi80211n",
            Self::Wifi80211ac => "wifi80211ac",
            Self::Wifi80211ax => "wifi80211ax",
            Self::UnknownFutureValue => "unknownFutureValue",
            Self::Other(other) => other,
        }
    }

    /// Reads a member name; one this schema does not declare is kept as `Other`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "unknown" => Self::Unknown,
            "wifi80211a" => Self::Wifi80211a,
            "wifi80211b" => Self::Wifi80211b,
            "wifi80211g" => Self::Wifi80211g,
            "wifi80211n" => Self::Wifi80211n,
            "wifi80211ac" => Self::Wifi80211ac,
            "wifi80211ax" => Self::Wifi80211ax,
            "unknownFutureValue" => Self::UnknownFutureValue,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl SchemaEnum for WifiRadioType {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.wifiRadioType";
    const MEMBERS: &'static [&'static str] = &["unknown", "wifi80211a", "wifi80211b", "wifi80211g", "wifi80211n", "wifi80211ac", "wifi80211ax", "unknownFutureValue"];

    fn as_str(&self) -> &str {
        self.as_str()
    }

    fn is_declared(&self) -> bool {
        !matches!(self, Self::Other(_))
    }
}

impl std::fmt::Display for WifiRadioType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for WifiRadioType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for WifiRadioType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Ok(Self::from_name(&name))
    }
}

impl Sample for WifiRadioType {
    fn sample() -> Self {
        Self::Unknown
    }
}

/// `microsoft.graph.callRecords.administrativeUnitInfo`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdministrativeUnitInfo {
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for AdministrativeUnitInfo {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.administrativeUnitInfo";
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

impl AdministrativeUnitInfo {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("id", &self.id)?;
        out.end()
    }
}

impl Serialize for AdministrativeUnitInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for AdministrativeUnitInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for AdministrativeUnitInfo {
    fn sample() -> Self {
        Self {
            id: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.callRecord`: entity type derived from `microsoft.graph.entity`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CallRecord {
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `endDateTime`: `Edm.DateTimeOffset`
    pub end_date_time: Option<super::DateTimeOffset>,
    /// `joinWebUrl`: `Edm.String`
    pub join_web_url: Option<String>,
    /// `lastModifiedDateTime`: `Edm.DateTimeOffset`
    pub last_modified_date_time: Option<super::DateTimeOffset>,
    /// `modalities`: `Collection(microsoft.graph.callRecords.modality)`
    pub modalities: Option<Vec<Modality>>,
    /// `organizer`: `microsoft.graph.identitySet`
    pub organizer: Option<super::graph::AnyIdentitySet>,
    /// `participants`: `Collection(microsoft.graph.identitySet)`
    pub participants: Option<Vec<super::graph::AnyIdentitySet>>,
    /// `startDateTime`: `Edm.DateTimeOffset`
    pub start_date_time: Option<super::DateTimeOffset>,
    /// `type`: `microsoft.graph.callRecords.callType`
    pub r#type: Option<CallType>,
    /// `version`: `Edm.Int64`
    pub version: Option<i64>,
    /// `organizer_v2`: `microsoft.graph.callRecords.organizer`, navigation
    pub organizer_v2: Option<Organizer>,
    /// `participants_v2`: `Collection(microsoft.graph.callRecords.participant)`, navigation
    pub participants_v2: Option<Vec<Participant>>,
    /// `sessions`: `Collection(microsoft.graph.callRecords.session)`, navigation
    pub sessions: Option<Vec<Session>>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for CallRecord {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.callRecord";
    const PROPERTY_NAMES: &'static [&'static str] = &["id", "endDateTime", "joinWebUrl", "lastModifiedDateTime", "modalities", "organizer", "participants", "startDateTime", "type", "version", "organizer_v2", "participants_v2", "sessions"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: super::take(&mut object, "id")?,
            end_date_time: super::take(&mut object, "endDateTime")?,
            join_web_url: super::take(&mut object, "joinWebUrl")?,
            last_modified_date_time: super::take(&mut object, "lastModifiedDateTime")?,
            modalities: super::take(&mut object, "modalities")?,
            organizer: super::take(&mut object, "organizer")?,
            participants: super::take(&mut object, "participants")?,
            start_date_time: super::take(&mut object, "startDateTime")?,
            r#type: super::take(&mut object, "type")?,
            version: super::take(&mut object, "version")?,
            organizer_v2: super::take(&mut object, "organizer_v2")?,
            participants_v2: super::take(&mut object, "participants_v2")?,
            sessions: super::take(&mut object, "sessions")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl CallRecord {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("id", &self.id)?;
        out.property("endDateTime", &self.end_date_time)?;
        out.property("joinWebUrl", &self.join_web_url)?;
        out.property("lastModifiedDateTime", &self.last_modified_date_time)?;
        out.property("modalities", &self.modalities)?;
        out.property("organizer", &self.organizer)?;
        out.property("participants", &self.participants)?;
        out.property("startDateTime", &self.start_date_time)?;
        out.property("type", &self.r#type)?;
        out.property("version", &self.version)?;
        out.navigation("organizer_v2", &self.organizer_v2)?;
        out.navigation("participants_v2", &self.participants_v2)?;
        out.navigation("sessions", &self.sessions)?;
        out.end()
    }
}

impl Serialize for CallRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for CallRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for CallRecord {
    fn sample() -> Self {
        Self {
            id: Some(Sample::sample()),
            end_date_time: Some(Sample::sample()),
            join_web_url: Some(Sample::sample()),
            last_modified_date_time: Some(Sample::sample()),
            modalities: Some(vec![Sample::sample()]),
            organizer: Some(Sample::sample()),
            participants: Some(vec![Sample::sample()]),
            start_date_time: Some(Sample::sample()),
            r#type: Some(Sample::sample()),
            version: Some(Sample::sample()),
            organizer_v2: Some(Sample::sample()),
            participants_v2: Some(vec![Sample::sample()]),
            sessions: Some(vec![Sample::sample()]),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.clientUserAgent`: complex type derived from `microsoft.graph.callRecords.userAgent`.
///
/// In a slot of type `microsoft.graph.callRecords.userAgent` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClientUserAgent {
    /// `applicationVersion`: `Edm.String`
    pub application_version: Option<String>,
    /// `headerValue`: `Edm.String`
    pub header_value: Option<String>,
    /// `azureADAppId`: `Edm.String`
    pub azure_ad_app_id: Option<String>,
    /// `communicationServiceId`: `Edm.String`
    pub communication_service_id: Option<String>,
    /// `platform`: `microsoft.graph.callRecords.clientPlatform`
    pub platform: Option<ClientPlatform>,
    /// `productFamily`: `microsoft.graph.callRecords.productFamily`
    pub product_family: Option<ProductFamily>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for ClientUserAgent {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.clientUserAgent";
    const PROPERTY_NAMES: &'static [&'static str] = &["applicationVersion", "headerValue", "azureADAppId", "communicationServiceId", "platform", "productFamily"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            application_version: super::take(&mut object, "applicationVersion")?,
            header_value: super::take(&mut object, "headerValue")?,
            azure_ad_app_id: super::take(&mut object, "azureADAppId")?,
            communication_service_id: super::take(&mut object, "communicationServiceId")?,
            platform: super::take(&mut object, "platform")?,
            product_family: super::take(&mut object, "productFamily")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl ClientUserAgent {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("applicationVersion", &self.application_version)?;
        out.property("headerValue", &self.header_value)?;
        out.property("azureADAppId", &self.azure_ad_app_id)?;
        out.property("communicationServiceId", &self.communication_service_id)?;
        out.property("platform", &self.platform)?;
        out.property("productFamily", &self.product_family)?;
        out.end()
    }
}

impl Serialize for ClientUserAgent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for ClientUserAgent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for ClientUserAgent {
    fn sample() -> Self {
        Self {
            application_version: Some(Sample::sample()),
            header_value: Some(Sample::sample()),
            azure_ad_app_id: Some(Sample::sample()),
            communication_service_id: Some(Sample::sample()),
            platform: Some(Sample::sample()),
            product_family: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.deviceInfo`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceInfo {
    /// `captureDeviceDriver`: `Edm.String`
    pub capture_device_driver: Option<String>,
    /// `captureDeviceName`: `Edm.String`
    pub capture_device_name: Option<String>,
    /// `captureNotFunctioningEventRatio`: `Edm.Single`
    pub capture_not_functioning_event_ratio: Option<f64>,
    /// `cpuInsufficentEventRatio`: `Edm.Single`
    pub cpu_insufficent_event_ratio: Option<f64>,
    /// `deviceClippingEventRatio`: `Edm.Single`
    pub device_clipping_event_ratio: Option<f64>,
    /// `deviceGlitchEventRatio`: `Edm.Single`
    pub device_glitch_event_ratio: Option<f64>,
    /// `howlingEventCount`: `Edm.Int32`
    pub howling_event_count: Option<i32>,
    /// `initialSignalLevelRootMeanSquare`: `Edm.Single`
    pub initial_signal_level_root_mean_square: Option<f64>,
    /// `lowSpeechLevelEventRatio`: `Edm.Single`
    pub low_speech_level_event_ratio: Option<f64>,
    /// `lowSpeechToNoiseEventRatio`: `Edm.Single`
    pub low_speech_to_noise_event_ratio: Option<f64>,
    /// `micGlitchRate`: `Edm.Single`
    pub mic_glitch_rate: Option<f64>,
    /// `receivedNoiseLevel`: `Edm.Int32`
    pub received_noise_level: Option<i32>,
    /// `receivedSignalLevel`: `Edm.Int32`
    pub received_signal_level: Option<i32>,
    /// `renderDeviceDriver`: `Edm.String`
    pub render_device_driver: Option<String>,
    /// `renderDeviceName`: `Edm.String`
    pub render_device_name: Option<String>,
    /// `renderMuteEventRatio`: `Edm.Single`
    pub render_mute_event_ratio: Option<f64>,
    /// `renderNotFunctioningEventRatio`: `Edm.Single`
    pub render_not_functioning_event_ratio: Option<f64>,
    /// `renderZeroVolumeEventRatio`: `Edm.Single`
    pub render_zero_volume_event_ratio: Option<f64>,
    /// `sentNoiseLevel`: `Edm.Int32`
    pub sent_noise_level: Option<i32>,
    /// `sentSignalLevel`: `Edm.Int32`
    pub sent_signal_level: Option<i32>,
    /// `speakerGlitchRate`: `Edm.Single`
    pub speaker_glitch_rate: Option<f64>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for DeviceInfo {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.deviceInfo";
    const PROPERTY_NAMES: &'static [&'static str] = &["captureDeviceDriver", "captureDeviceName", "captureNotFunctioningEventRatio", "cpuInsufficentEventRatio", "deviceClippingEventRatio", "deviceGlitchEventRatio", "howlingEventCount", "initialSignalLevelRootMeanSquare", "lowSpeechLevelEventRatio", "lowSpeechToNoiseEventRatio", "micGlitchRate", "receivedNoiseLevel", "receivedSignalLevel", "renderDeviceDriver", "renderDeviceName", "renderMuteEventRatio", "renderNotFunctioningEventRatio", "renderZeroVolumeEventRatio", "sentNoiseLevel", "sentSignalLevel", "speakerGlitchRate"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            capture_device_driver: super::take(&mut object, "captureDeviceDriver")?,
            capture_device_name: super::take(&mut object, "captureDeviceName")?,
            capture_not_functioning_event_ratio: super::take(&mut object, "captureNotFunctioningEventRatio")?,
            cpu_insufficent_event_ratio: super::take(&mut object, "cpuInsufficentEventRatio")?,
            device_clipping_event_ratio: super::take(&mut object, "deviceClippingEventRatio")?,
            device_glitch_event_ratio: super::take(&mut object, "deviceGlitchEventRatio")?,
            howling_event_count: super::take(&mut object, "howlingEventCount")?,
            initial_signal_level_root_mean_square: super::take(&mut object, "initialSignalLevelRootMeanSquare")?,
            low_speech_level_event_ratio: super::take(&mut object, "lowSpeechLevelEventRatio")?,
            low_speech_to_noise_event_ratio: super::take(&mut object, "lowSpeechToNoiseEventRatio")?,
            mic_glitch_rate: super::take(&mut object, "micGlitchRate")?,
            received_noise_level: super::take(&mut object, "receivedNoiseLevel")?,
            received_signal_level: super::take(&mut object, "receivedSignalLevel")?,
            render_device_driver: super::take(&mut object, "renderDeviceDriver")?,
            render_device_name: super::take(&mut object, "renderDeviceName")?,
            render_mute_event_ratio: super::take(&mut object, "renderMuteEventRatio")?,
            render_not_functioning_event_ratio: super::take(&mut object, "renderNotFunctioningEventRatio")?,
            render_zero_volume_event_ratio: super::take(&mut object, "renderZeroVolumeEventRatio")?,
            sent_noise_level: super::take(&mut object, "sentNoiseLevel")?,
            sent_signal_level: super::take(&mut object, "sentSignalLevel")?,
            speaker_glitch_rate: super::take(&mut object, "speakerGlitchRate")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl DeviceInfo {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("captureDeviceDriver", &self.capture_device_driver)?;
        out.property("captureDeviceName", &self.capture_device_name)?;
        out.property("captureNotFunctioningEventRatio", &self.capture_not_functioning_event_ratio)?;
        out.property("cpuInsufficentEventRatio", &self.cpu_insufficent_event_ratio)?;
        out.property("deviceClippingEventRatio", &self.device_clipping_event_ratio)?;
        out.property("deviceGlitchEventRatio", &self.device_glitch_event_ratio)?;
        out.property("howlingEventCount", &self.howling_event_count)?;
        out.property("initialSignalLevelRootMeanSquare", &self.initial_signal_level_root_mean_square)?;
        out.property("lowSpeechLevelEventRatio", &self.low_speech_level_event_ratio)?;
        out.property("lowSpeechToNoiseEventRatio", &self.low_speech_to_noise_event_ratio)?;
        out.property("micGlitchRate", &self.mic_glitch_rate)?;
        out.property("receivedNoiseLevel", &self.received_noise_level)?;
        out.property("receivedSignalLevel", &self.received_signal_level)?;
        out.property("renderDeviceDriver", &self.render_device_driver)?;
        out.property("renderDeviceName", &self.render_device_name)?;
        out.property("renderMuteEventRatio", &self.render_mute_event_ratio)?;
        out.property("renderNotFunctioningEventRatio", &self.render_not_functioning_event_ratio)?;
        out.property("renderZeroVolumeEventRatio", &self.render_zero_volume_event_ratio)?;
        out.property("sentNoiseLevel", &self.sent_noise_level)?;
        out.property("sentSignalLevel", &self.sent_signal_level)?;
        out.property("speakerGlitchRate", &self.speaker_glitch_rate)?;
        out.end()
    }
}

impl Serialize for DeviceInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for DeviceInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for DeviceInfo {
    fn sample() -> Self {
        Self {
            capture_device_driver: Some(Sample::sample()),
            capture_device_name: Some(Sample::sample()),
            capture_not_functioning_event_ratio: Some(Sample::sample()),
            cpu_insufficent_event_ratio: Some(Sample::sample()),
            device_clipping_event_ratio: Some(Sample::sample()),
            device_glitch_event_ratio: Some(Sample::sample()),
            howling_event_count: Some(Sample::sample()),
            initial_signal_level_root_mean_square: Some(Sample::sample()),
            low_speech_level_event_ratio: Some(Sample::sample()),
            low_speech_to_noise_event_ratio: Some(Sample::sample()),
            mic_glitch_rate: Some(Sample::sample()),
            received_noise_level: Some(Sample::sample()),
            received_signal_level: Some(Sample::sample()),
            render_device_driver: Some(Sample::sample()),
            render_device_name: Some(Sample::sample()),
            render_mute_event_ratio: Some(Sample::sample()),
            render_not_functioning_event_ratio: Some(Sample::sample()),
            render_zero_volume_event_ratio: Some(Sample::sample()),
            sent_noise_level: Some(Sample::sample()),
            sent_signal_level: Some(Sample::sample()),
            speaker_glitch_rate: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.directRoutingLogRow`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DirectRoutingLogRow {
    /// `calleeNumber`: `Edm.String`
    pub callee_number: Option<String>,
    /// `callEndSubReason`: `Edm.Int32`
    pub call_end_sub_reason: Option<i32>,
    /// `callerNumber`: `Edm.String`
    pub caller_number: Option<String>,
    /// `callType`: `Edm.String`
    pub call_type: Option<String>,
    /// `correlationId`: `Edm.String`
    pub correlation_id: Option<String>,
    /// `duration`: `Edm.Int32`
    pub duration: Option<i32>,
    /// `endDateTime`: `Edm.DateTimeOffset`
    pub end_date_time: Option<super::DateTimeOffset>,
    /// `failureDateTime`: `Edm.DateTimeOffset`
    pub failure_date_time: Option<super::DateTimeOffset>,
    /// `finalSipCode`: `Edm.Int32`
    pub final_sip_code: Option<i32>,
    /// `finalSipCodePhrase`: `Edm.String`
    pub final_sip_code_phrase: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `inviteDateTime`: `Edm.DateTimeOffset`
    pub invite_date_time: Option<super::DateTimeOffset>,
    /// `mediaBypassEnabled`: `Edm.Boolean`
    pub media_bypass_enabled: Option<bool>,
    /// `mediaPathLocation`: `Edm.String`
    pub media_path_location: Option<String>,
    /// `signalingLocation`: `Edm.String`
    pub signaling_location: Option<String>,
    /// `startDateTime`: `Edm.DateTimeOffset`
    pub start_date_time: Option<super::DateTimeOffset>,
    /// `successfulCall`: `Edm.Boolean`
    pub successful_call: Option<bool>,
    /// `trunkFullyQualifiedDomainName`: `Edm.String`
    pub trunk_fully_qualified_domain_name: Option<String>,
    /// `userDisplayName`: `Edm.String`
    pub user_display_name: Option<String>,
    /// `userId`: `Edm.String`
    pub user_id: Option<String>,
    /// `userPrincipalName`: `Edm.String`
    pub user_principal_name: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for DirectRoutingLogRow {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.directRoutingLogRow";
    const PROPERTY_NAMES: &'static [&'static str] = &["calleeNumber", "callEndSubReason", "callerNumber", "callType", "correlationId", "duration", "endDateTime", "failureDateTime", "finalSipCode", "finalSipCodePhrase", "id", "inviteDateTime", "mediaBypassEnabled", "mediaPathLocation", "signalingLocation", "startDateTime", "successfulCall", "trunkFullyQualifiedDomainName", "userDisplayName", "userId", "userPrincipalName"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            callee_number: super::take(&mut object, "calleeNumber")?,
            call_end_sub_reason: super::take(&mut object, "callEndSubReason")?,
            caller_number: super::take(&mut object, "callerNumber")?,
            call_type: super::take(&mut object, "callType")?,
            correlation_id: super::take(&mut object, "correlationId")?,
            duration: super::take(&mut object, "duration")?,
            end_date_time: super::take(&mut object, "endDateTime")?,
            failure_date_time: super::take(&mut object, "failureDateTime")?,
            final_sip_code: super::take(&mut object, "finalSipCode")?,
            final_sip_code_phrase: super::take(&mut object, "finalSipCodePhrase")?,
            id: super::take(&mut object, "id")?,
            invite_date_time: super::take(&mut object, "inviteDateTime")?,
            media_bypass_enabled: super::take(&mut object, "mediaBypassEnabled")?,
            media_path_location: super::take(&mut object, "mediaPathLocation")?,
            signaling_location: super::take(&mut object, "signalingLocation")?,
            start_date_time: super::take(&mut object, "startDateTime")?,
            successful_call: super::take(&mut object, "successfulCall")?,
            trunk_fully_qualified_domain_name: super::take(&mut object, "trunkFullyQualifiedDomainName")?,
            user_display_name: super::take(&mut object, "userDisplayName")?,
            user_id: super::take(&mut object, "userId")?,
            user_principal_name: super::take(&mut object, "userPrincipalName")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl DirectRoutingLogRow {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("calleeNumber", &self.callee_number)?;
        out.property("callEndSubReason", &self.call_end_sub_reason)?;
        out.property("callerNumber", &self.caller_number)?;
        out.property("callType", &self.call_type)?;
        out.property("correlationId", &self.correlation_id)?;
        out.property("duration", &self.duration)?;
        out.property("endDateTime", &self.end_date_time)?;
        out.property("failureDateTime", &self.failure_date_time)?;
        out.property("finalSipCode", &self.final_sip_code)?;
        out.property("finalSipCodePhrase", &self.final_sip_code_phrase)?;
        out.property("id", &self.id)?;
        out.property("inviteDateTime", &self.invite_date_time)?;
        out.property("mediaBypassEnabled", &self.media_bypass_enabled)?;
        out.property("mediaPathLocation", &self.media_path_location)?;
        out.property("signalingLocation", &self.signaling_location)?;
        out.property("startDateTime", &self.start_date_time)?;
        out.property("successfulCall", &self.successful_call)?;
        out.property("trunkFullyQualifiedDomainName", &self.trunk_fully_qualified_domain_name)?;
        out.property("userDisplayName", &self.user_display_name)?;
        out.property("userId", &self.user_id)?;
        out.property("userPrincipalName", &self.user_principal_name)?;
        out.end()
    }
}

impl Serialize for DirectRoutingLogRow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for DirectRoutingLogRow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for DirectRoutingLogRow {
    fn sample() -> Self {
        Self {
            callee_number: Some(Sample::sample()),
            call_end_sub_reason: Some(Sample::sample()),
            caller_number: Some(Sample::sample()),
            call_type: Some(Sample::sample()),
            correlation_id: Some(Sample::sample()),
            duration: Some(Sample::sample()),
            end_date_time: Some(Sample::sample()),
            failure_date_time: Some(Sample::sample()),
            final_sip_code: Some(Sample::sample()),
            final_sip_code_phrase: Some(Sample::sample()),
            id: Some(Sample::sample()),
            invite_date_time: Some(Sample::sample()),
            media_bypass_enabled: Some(Sample::sample()),
            media_path_location: Some(Sample::sample()),
            signaling_location: Some(Sample::sample()),
            start_date_time: Some(Sample::sample()),
            successful_call: Some(Sample::sample()),
            trunk_fully_qualified_domain_name: Some(Sample::sample()),
            user_display_name: Some(Sample::sample()),
            user_id: Some(Sample::sample()),
            user_principal_name: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.endpoint`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Endpoint {
    /// `userAgent`: `microsoft.graph.callRecords.userAgent`
    pub user_agent: Option<AnyUserAgent>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for Endpoint {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.endpoint";
    const PROPERTY_NAMES: &'static [&'static str] = &["userAgent"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            user_agent: super::take(&mut object, "userAgent")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl Endpoint {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("userAgent", &self.user_agent)?;
        out.end()
    }
}

impl Serialize for Endpoint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for Endpoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for Endpoint {
    fn sample() -> Self {
        Self {
            user_agent: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// A `microsoft.graph.callRecords.endpoint` or a type derived from it, chosen by `@odata.type` when read.
///
/// A value without `@odata.type`, or with one this schema does not derive from the type, is read as
/// `microsoft.graph.callRecords.endpoint`; an unknown `@odata.type` is kept in its `additional_data`.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::enum_variant_names)] // named after the schema types
pub enum AnyEndpoint {
    /// `microsoft.graph.callRecords.endpoint`
    Endpoint(Box<Endpoint>),
    /// `microsoft.graph.callRecords.participantEndpoint`
    ParticipantEndpoint(Box<ParticipantEndpoint>),
    /// `microsoft.graph.callRecords.serviceEndpoint`
    ServiceEndpoint(Box<ServiceEndpoint>),
}

impl AnyEndpoint {
    /// The qualified name of the type held.
    pub fn qualified_name(&self) -> &'static str {
        match self {
            Self::Endpoint(_) => "microsoft.graph.callRecords.endpoint",
            Self::ParticipantEndpoint(_) => "microsoft.graph.callRecords.participantEndpoint",
            Self::ServiceEndpoint(_) => "microsoft.graph.callRecords.serviceEndpoint",
        }
    }
}

impl Default for AnyEndpoint {
    fn default() -> Self {
        Self::Endpoint(Box::default())
    }
}

impl From<Endpoint> for AnyEndpoint {
    fn from(value: Endpoint) -> Self {
        Self::Endpoint(Box::new(value))
    }
}

impl From<ParticipantEndpoint> for AnyEndpoint {
    fn from(value: ParticipantEndpoint) -> Self {
        Self::ParticipantEndpoint(Box::new(value))
    }
}

impl From<ServiceEndpoint> for AnyEndpoint {
    fn from(value: ServiceEndpoint) -> Self {
        Self::ServiceEndpoint(Box::new(value))
    }
}

impl Serialize for AnyEndpoint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Endpoint(value) => value.write_json(serializer, None),
            Self::ParticipantEndpoint(value) => value.write_json(serializer, Some("#microsoft.graph.callRecords.participantEndpoint")),
            Self::ServiceEndpoint(value) => value.write_json(serializer, Some("#microsoft.graph.callRecords.serviceEndpoint")),
        }
    }
}

impl<'de> Deserialize<'de> for AnyEndpoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl SchemaObject for AnyEndpoint {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.endpoint";
    const PROPERTY_NAMES: &'static [&'static str] = Endpoint::PROPERTY_NAMES;

    fn from_json_object(object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        match object.get("@odata.type").and_then(Value::as_str) {
            Some("#microsoft.graph.callRecords.participantEndpoint") => super::read_derived::<ParticipantEndpoint>(object, "#microsoft.graph.callRecords.participantEndpoint").map(Self::from),
            Some("#microsoft.graph.callRecords.serviceEndpoint") => super::read_derived::<ServiceEndpoint>(object, "#microsoft.graph.callRecords.serviceEndpoint").map(Self::from),
            _ => Endpoint::from_json_object(object).map(Self::from),
        }
    }

    fn additional_data(&self) -> &Map<String, Value> {
        match self {
            Self::Endpoint(value) => &value.additional_data,
            Self::ParticipantEndpoint(value) => &value.additional_data,
            Self::ServiceEndpoint(value) => &value.additional_data,
        }
    }

    fn type_name(&self) -> &'static str {
        self.qualified_name()
    }
}

impl Sample for AnyEndpoint {
    fn sample() -> Self {
        Self::from(Endpoint::sample())
    }
}

/// `microsoft.graph.callRecords.failureInfo`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FailureInfo {
    /// `reason`: `Edm.String`
    pub reason: Option<String>,
    /// `stage`: `microsoft.graph.callRecords.failureStage`
    pub stage: Option<FailureStage>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for FailureInfo {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.failureInfo";
    const PROPERTY_NAMES: &'static [&'static str] = &["reason", "stage"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            reason: super::take(&mut object, "reason")?,
            stage: super::take(&mut object, "stage")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl FailureInfo {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("reason", &self.reason)?;
        out.property("stage", &self.stage)?;
        out.end()
    }
}

impl Serialize for FailureInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for FailureInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for FailureInfo {
    fn sample() -> Self {
        Self {
            reason: Some(Sample::sample()),
            stage: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.feedbackTokenSet`: open complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedbackTokenSet {
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for FeedbackTokenSet {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.feedbackTokenSet";
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

impl FeedbackTokenSet {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.end()
    }
}

impl Serialize for FeedbackTokenSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for FeedbackTokenSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for FeedbackTokenSet {
    fn sample() -> Self {
        Self {
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.media`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Media {
    /// `calleeDevice`: `microsoft.graph.callRecords.deviceInfo`
    pub callee_device: Option<DeviceInfo>,
    /// `calleeNetwork`: `microsoft.graph.callRecords.networkInfo`
    pub callee_network: Option<NetworkInfo>,
    /// `callerDevice`: `microsoft.graph.callRecords.deviceInfo`
    pub caller_device: Option<DeviceInfo>,
    /// `callerNetwork`: `microsoft.graph.callRecords.networkInfo`
    pub caller_network: Option<NetworkInfo>,
    /// `label`: `Edm.String`
    pub label: Option<String>,
    /// `streams`: `Collection(microsoft.graph.callRecords.mediaStream)`
    pub streams: Option<Vec<MediaStream>>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for Media {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.media";
    const PROPERTY_NAMES: &'static [&'static str] = &["calleeDevice", "calleeNetwork", "callerDevice", "callerNetwork", "label", "streams"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            callee_device: super::take(&mut object, "calleeDevice")?,
            callee_network: super::take(&mut object, "calleeNetwork")?,
            caller_device: super::take(&mut object, "callerDevice")?,
            caller_network: super::take(&mut object, "callerNetwork")?,
            label: super::take(&mut object, "label")?,
            streams: super::take(&mut object, "streams")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl Media {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("calleeDevice", &self.callee_device)?;
        out.property("calleeNetwork", &self.callee_network)?;
        out.property("callerDevice", &self.caller_device)?;
        out.property("callerNetwork", &self.caller_network)?;
        out.property("label", &self.label)?;
        out.property("streams", &self.streams)?;
        out.end()
    }
}

impl Serialize for Media {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for Media {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for Media {
    fn sample() -> Self {
        Self {
            callee_device: Some(Sample::sample()),
            callee_network: Some(Sample::sample()),
            caller_device: Some(Sample::sample()),
            caller_network: Some(Sample::sample()),
            label: Some(Sample::sample()),
            streams: Some(vec![Sample::sample()]),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.mediaStream`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MediaStream {
    /// `audioCodec`: `microsoft.graph.callRecords.audioCodec`
    pub audio_codec: Option<AudioCodec>,
    /// `averageAudioDegradation`: `Edm.Single`
    pub average_audio_degradation: Option<f64>,
    /// `averageAudioNetworkJitter`: `Edm.Duration`
    pub average_audio_network_jitter: Option<super::Duration>,
    /// `averageBandwidthEstimate`: `Edm.Int64`
    pub average_bandwidth_estimate: Option<i64>,
    /// `averageFreezeDuration`: `Edm.Duration`
    pub average_freeze_duration: Option<super::Duration>,
    /// `averageJitter`: `Edm.Duration`
    pub average_jitter: Option<super::Duration>,
    /// `averagePacketLossRate`: `Edm.Single`
    pub average_packet_loss_rate: Option<f64>,
    /// `averageRatioOfConcealedSamples`: `Edm.Single`
    pub average_ratio_of_concealed_samples: Option<f64>,
    /// `averageReceivedFrameRate`: `Edm.Single`
    pub average_received_frame_rate: Option<f64>,
    /// `averageRoundTripTime`: `Edm.Duration`
    pub average_round_trip_time: Option<super::Duration>,
    /// `averageVideoFrameLossPercentage`: `Edm.Single`
    pub average_video_frame_loss_percentage: Option<f64>,
    /// `averageVideoFrameRate`: `Edm.Single`
    pub average_video_frame_rate: Option<f64>,
    /// `averageVideoPacketLossRate`: `Edm.Single`
    pub average_video_packet_loss_rate: Option<f64>,
    /// `endDateTime`: `Edm.DateTimeOffset`
    pub end_date_time: Option<super::DateTimeOffset>,
    /// `isAudioForwardErrorCorrectionUsed`: `Edm.Boolean`
    pub is_audio_forward_error_correction_used: Option<bool>,
    /// `lowFrameRateRatio`: `Edm.Single`
    pub low_frame_rate_ratio: Option<f64>,
    /// `lowVideoProcessingCapabilityRatio`: `Edm.Single`
    pub low_video_processing_capability_ratio: Option<f64>,
    /// `maxAudioNetworkJitter`: `Edm.Duration`
    pub max_audio_network_jitter: Option<super::Duration>,
    /// `maxJitter`: `Edm.Duration`
    pub max_jitter: Option<super::Duration>,
    /// `maxPacketLossRate`: `Edm.Single`
    pub max_packet_loss_rate: Option<f64>,
    /// `maxRatioOfConcealedSamples`: `Edm.Single`
    pub max_ratio_of_concealed_samples: Option<f64>,
    /// `maxRoundTripTime`: `Edm.Duration`
    pub max_round_trip_time: Option<super::Duration>,
    /// `packetUtilization`: `Edm.Int64`
    pub packet_utilization: Option<i64>,
    /// `postForwardErrorCorrectionPacketLossRate`: `Edm.Single`
    pub post_forward_error_correction_packet_loss_rate: Option<f64>,
    /// `rmsFreezeDuration`: `Edm.Duration`
    pub rms_freeze_duration: Option<super::Duration>,
    /// `startDateTime`: `Edm.DateTimeOffset`
    pub start_date_time: Option<super::DateTimeOffset>,
    /// `streamDirection`: `microsoft.graph.callRecords.mediaStreamDirection`
    pub stream_direction: Option<MediaStreamDirection>,
    /// `streamId`: `Edm.String`
    pub stream_id: Option<String>,
    /// `videoCodec`: `microsoft.graph.callRecords.videoCodec`
    pub video_codec: Option<VideoCodec>,
    /// `wasMediaBypassed`: `Edm.Boolean`
    pub was_media_bypassed: Option<bool>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for MediaStream {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.mediaStream";
    const PROPERTY_NAMES: &'static [&'static str] = &["audioCodec", "averageAudioDegradation", "averageAudioNetworkJitter", "averageBandwidthEstimate", "averageFreezeDuration", "averageJitter", "averagePacketLossRate", "averageRatioOfConcealedSamples", "averageReceivedFrameRate", "averageRoundTripTime", "averageVideoFrameLossPercentage", "averageVideoFrameRate", "averageVideoPacketLossRate", "endDateTime", "isAudioForwardErrorCorrectionUsed", "lowFrameRateRatio", "lowVideoProcessingCapabilityRatio", "maxAudioNetworkJitter", "maxJitter", "maxPacketLossRate", "maxRatioOfConcealedSamples", "maxRoundTripTime", "packetUtilization", "postForwardErrorCorrectionPacketLossRate", "rmsFreezeDuration", "startDateTime", "streamDirection", "streamId", "videoCodec", "wasMediaBypassed"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            audio_codec: super::take(&mut object, "audioCodec")?,
            average_audio_degradation: super::take(&mut object, "averageAudioDegradation")?,
            average_audio_network_jitter: super::take(&mut object, "averageAudioNetworkJitter")?,
            average_bandwidth_estimate: super::take(&mut object, "averageBandwidthEstimate")?,
            average_freeze_duration: super::take(&mut object, "averageFreezeDuration")?,
            average_jitter: super::take(&mut object, "averageJitter")?,
            average_packet_loss_rate: super::take(&mut object, "averagePacketLossRate")?,
            average_ratio_of_concealed_samples: super::take(&mut object, "averageRatioOfConcealedSamples")?,
            average_received_frame_rate: super::take(&mut object, "averageReceivedFrameRate")?,
            average_round_trip_time: super::take(&mut object, "averageRoundTripTime")?,
            average_video_frame_loss_percentage: super::take(&mut object, "averageVideoFrameLossPercentage")?,
            average_video_frame_rate: super::take(&mut object, "averageVideoFrameRate")?,
            average_video_packet_loss_rate: super::take(&mut object, "averageVideoPacketLossRate")?,
            end_date_time: super::take(&mut object, "endDateTime")?,
            is_audio_forward_error_correction_used: super::take(&mut object, "isAudioForwardErrorCorrectionUsed")?,
            low_frame_rate_ratio: super::take(&mut object, "lowFrameRateRatio")?,
            low_video_processing_capability_ratio: super::take(&mut object, "lowVideoProcessingCapabilityRatio")?,
            max_audio_network_jitter: super::take(&mut object, "maxAudioNetworkJitter")?,
            max_jitter: super::take(&mut object, "maxJitter")?,
            max_packet_loss_rate: super::take(&mut object, "maxPacketLossRate")?,
            max_ratio_of_concealed_samples: super::take(&mut object, "maxRatioOfConcealedSamples")?,
            max_round_trip_time: super::take(&mut object, "maxRoundTripTime")?,
            packet_utilization: super::take(&mut object, "packetUtilization")?,
            post_forward_error_correction_packet_loss_rate: super::take(&mut object, "postForwardErrorCorrectionPacketLossRate")?,
            rms_freeze_duration: super::take(&mut object, "rmsFreezeDuration")?,
            start_date_time: super::take(&mut object, "startDateTime")?,
            stream_direction: super::take(&mut object, "streamDirection")?,
            stream_id: super::take(&mut object, "streamId")?,
            video_codec: super::take(&mut object, "videoCodec")?,
            was_media_bypassed: super::take(&mut object, "wasMediaBypassed")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl MediaStream {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("audioCodec", &self.audio_codec)?;
        out.property("averageAudioDegradation", &self.average_audio_degradation)?;
        out.property("averageAudioNetworkJitter", &self.average_audio_network_jitter)?;
        out.property("averageBandwidthEstimate", &self.average_bandwidth_estimate)?;
        out.property("averageFreezeDuration", &self.average_freeze_duration)?;
        out.property("averageJitter", &self.average_jitter)?;
        out.property("averagePacketLossRate", &self.average_packet_loss_rate)?;
        out.property("averageRatioOfConcealedSamples", &self.average_ratio_of_concealed_samples)?;
        out.property("averageReceivedFrameRate", &self.average_received_frame_rate)?;
        out.property("averageRoundTripTime", &self.average_round_trip_time)?;
        out.property("averageVideoFrameLossPercentage", &self.average_video_frame_loss_percentage)?;
        out.property("averageVideoFrameRate", &self.average_video_frame_rate)?;
        out.property("averageVideoPacketLossRate", &self.average_video_packet_loss_rate)?;
        out.property("endDateTime", &self.end_date_time)?;
        out.property("isAudioForwardErrorCorrectionUsed", &self.is_audio_forward_error_correction_used)?;
        out.property("lowFrameRateRatio", &self.low_frame_rate_ratio)?;
        out.property("lowVideoProcessingCapabilityRatio", &self.low_video_processing_capability_ratio)?;
        out.property("maxAudioNetworkJitter", &self.max_audio_network_jitter)?;
        out.property("maxJitter", &self.max_jitter)?;
        out.property("maxPacketLossRate", &self.max_packet_loss_rate)?;
        out.property("maxRatioOfConcealedSamples", &self.max_ratio_of_concealed_samples)?;
        out.property("maxRoundTripTime", &self.max_round_trip_time)?;
        out.property("packetUtilization", &self.packet_utilization)?;
        out.property("postForwardErrorCorrectionPacketLossRate", &self.post_forward_error_correction_packet_loss_rate)?;
        out.property("rmsFreezeDuration", &self.rms_freeze_duration)?;
        out.property("startDateTime", &self.start_date_time)?;
        out.property("streamDirection", &self.stream_direction)?;
        out.property("streamId", &self.stream_id)?;
        out.property("videoCodec", &self.video_codec)?;
        out.property("wasMediaBypassed", &self.was_media_bypassed)?;
        out.end()
    }
}

impl Serialize for MediaStream {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for MediaStream {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for MediaStream {
    fn sample() -> Self {
        Self {
            audio_codec: Some(Sample::sample()),
            average_audio_degradation: Some(Sample::sample()),
            average_audio_network_jitter: Some(Sample::sample()),
            average_bandwidth_estimate: Some(Sample::sample()),
            average_freeze_duration: Some(Sample::sample()),
            average_jitter: Some(Sample::sample()),
            average_packet_loss_rate: Some(Sample::sample()),
            average_ratio_of_concealed_samples: Some(Sample::sample()),
            average_received_frame_rate: Some(Sample::sample()),
            average_round_trip_time: Some(Sample::sample()),
            average_video_frame_loss_percentage: Some(Sample::sample()),
            average_video_frame_rate: Some(Sample::sample()),
            average_video_packet_loss_rate: Some(Sample::sample()),
            end_date_time: Some(Sample::sample()),
            is_audio_forward_error_correction_used: Some(Sample::sample()),
            low_frame_rate_ratio: Some(Sample::sample()),
            low_video_processing_capability_ratio: Some(Sample::sample()),
            max_audio_network_jitter: Some(Sample::sample()),
            max_jitter: Some(Sample::sample()),
            max_packet_loss_rate: Some(Sample::sample()),
            max_ratio_of_concealed_samples: Some(Sample::sample()),
            max_round_trip_time: Some(Sample::sample()),
            packet_utilization: Some(Sample::sample()),
            post_forward_error_correction_packet_loss_rate: Some(Sample::sample()),
            rms_freeze_duration: Some(Sample::sample()),
            start_date_time: Some(Sample::sample()),
            stream_direction: Some(Sample::sample()),
            stream_id: Some(Sample::sample()),
            video_codec: Some(Sample::sample()),
            was_media_bypassed: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.networkInfo`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NetworkInfo {
    /// `bandwidthLowEventRatio`: `Edm.Single`
    pub bandwidth_low_event_ratio: Option<f64>,
    /// `basicServiceSetIdentifier`: `Edm.String`
    pub basic_service_set_identifier: Option<String>,
    /// `connectionType`: `microsoft.graph.callRecords.networkConnectionType`
    pub connection_type: Option<NetworkConnectionType>,
    /// `delayEventRatio`: `Edm.Single`
    pub delay_event_ratio: Option<f64>,
    /// `dnsSuffix`: `Edm.String`
    pub dns_suffix: Option<String>,
    /// `ipAddress`: `Edm.String`
    pub ip_address: Option<String>,
    /// `linkSpeed`: `Edm.Int64`
    pub link_speed: Option<i64>,
    /// `macAddress`: `Edm.String`
    pub mac_address: Option<String>,
    /// `networkTransportProtocol`: `microsoft.graph.callRecords.networkTransportProtocol`
    pub network_transport_protocol: Option<NetworkTransportProtocol>,
    /// `port`: `Edm.Int32`
    pub port: Option<i32>,
    /// `receivedQualityEventRatio`: `Edm.Single`
    pub received_quality_event_ratio: Option<f64>,
    /// `reflexiveIPAddress`: `Edm.String`
    pub reflexive_ip_address: Option<String>,
    /// `relayIPAddress`: `Edm.String`
    pub relay_ip_address: Option<String>,
    /// `relayPort`: `Edm.Int32`
    pub relay_port: Option<i32>,
    /// `sentQualityEventRatio`: `Edm.Single`
    pub sent_quality_event_ratio: Option<f64>,
    /// `subnet`: `Edm.String`
    pub subnet: Option<String>,
    /// `traceRouteHops`: `Collection(microsoft.graph.callRecords.traceRouteHop)`
    pub trace_route_hops: Option<Vec<TraceRouteHop>>,
    /// `wifiBand`: `microsoft.graph.callRecords.wifiBand`
    pub wifi_band: Option<WifiBand>,
    /// `wifiBatteryCharge`: `Edm.Int32`
    pub wifi_battery_charge: Option<i32>,
    /// `wifiChannel`: `Edm.Int32`
    pub wifi_channel: Option<i32>,
    /// `wifiMicrosoftDriver`: `Edm.String`
    pub wifi_microsoft_driver: Option<String>,
    /// `wifiMicrosoftDriverVersion`: `Edm.String`
    pub wifi_microsoft_driver_version: Option<String>,
    /// `wifiRadioType`: `microsoft.graph.callRecords.wifiRadioType`
    pub wifi_radio_type: Option<WifiRadioType>,
    /// `wifiSignalStrength`: `Edm.Int32`
    pub wifi_signal_strength: Option<i32>,
    /// `wifiVendorDriver`: `Edm.String`
    pub wifi_vendor_driver: Option<String>,
    /// `wifiVendorDriverVersion`: `Edm.String`
    pub wifi_vendor_driver_version: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for NetworkInfo {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.networkInfo";
    const PROPERTY_NAMES: &'static [&'static str] = &["bandwidthLowEventRatio", "basicServiceSetIdentifier", "connectionType", "delayEventRatio", "dnsSuffix", "ipAddress", "linkSpeed", "macAddress", "networkTransportProtocol", "port", "receivedQualityEventRatio", "reflexiveIPAddress", "relayIPAddress", "relayPort", "sentQualityEventRatio", "subnet", "traceRouteHops", "wifiBand", "wifiBatteryCharge", "wifiChannel", "wifiMicrosoftDriver", "wifiMicrosoftDriverVersion", "wifiRadioType", "wifiSignalStrength", "wifiVendorDriver", "wifiVendorDriverVersion"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            bandwidth_low_event_ratio: super::take(&mut object, "bandwidthLowEventRatio")?,
            basic_service_set_identifier: super::take(&mut object, "basicServiceSetIdentifier")?,
            connection_type: super::take(&mut object, "connectionType")?,
            delay_event_ratio: super::take(&mut object, "delayEventRatio")?,
            dns_suffix: super::take(&mut object, "dnsSuffix")?,
            ip_address: super::take(&mut object, "ipAddress")?,
            link_speed: super::take(&mut object, "linkSpeed")?,
            mac_address: super::take(&mut object, "macAddress")?,
            network_transport_protocol: super::take(&mut object, "networkTransportProtocol")?,
            port: super::take(&mut object, "port")?,
            received_quality_event_ratio: super::take(&mut object, "receivedQualityEventRatio")?,
            reflexive_ip_address: super::take(&mut object, "reflexiveIPAddress")?,
            relay_ip_address: super::take(&mut object, "relayIPAddress")?,
            relay_port: super::take(&mut object, "relayPort")?,
            sent_quality_event_ratio: super::take(&mut object, "sentQualityEventRatio")?,
            subnet: super::take(&mut object, "subnet")?,
            trace_route_hops: super::take(&mut object, "traceRouteHops")?,
            wifi_band: super::take(&mut object, "wifiBand")?,
            wifi_battery_charge: super::take(&mut object, "wifiBatteryCharge")?,
            wifi_channel: super::take(&mut object, "wifiChannel")?,
            wifi_microsoft_driver: super::take(&mut object, "wifiMicrosoftDriver")?,
            wifi_microsoft_driver_version: super::take(&mut object, "wifiMicrosoftDriverVersion")?,
            wifi_radio_type: super::take(&mut object, "wifiRadioType")?,
            wifi_signal_strength: super::take(&mut object, "wifiSignalStrength")?,
            wifi_vendor_driver: super::take(&mut object, "wifiVendorDriver")?,
            wifi_vendor_driver_version: super::take(&mut object, "wifiVendorDriverVersion")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl NetworkInfo {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("bandwidthLowEventRatio", &self.bandwidth_low_event_ratio)?;
        out.property("basicServiceSetIdentifier", &self.basic_service_set_identifier)?;
        out.property("connectionType", &self.connection_type)?;
        out.property("delayEventRatio", &self.delay_event_ratio)?;
        out.property("dnsSuffix", &self.dns_suffix)?;
        out.property("ipAddress", &self.ip_address)?;
        out.property("linkSpeed", &self.link_speed)?;
        out.property("macAddress", &self.mac_address)?;
        out.property("networkTransportProtocol", &self.network_transport_protocol)?;
        out.property("port", &self.port)?;
        out.property("receivedQualityEventRatio", &self.received_quality_event_ratio)?;
        out.property("reflexiveIPAddress", &self.reflexive_ip_address)?;
        out.property("relayIPAddress", &self.relay_ip_address)?;
        out.property("relayPort", &self.relay_port)?;
        out.property("sentQualityEventRatio", &self.sent_quality_event_ratio)?;
        out.property("subnet", &self.subnet)?;
        out.property("traceRouteHops", &self.trace_route_hops)?;
        out.property("wifiBand", &self.wifi_band)?;
        out.property("wifiBatteryCharge", &self.wifi_battery_charge)?;
        out.property("wifiChannel", &self.wifi_channel)?;
        out.property("wifiMicrosoftDriver", &self.wifi_microsoft_driver)?;
        out.property("wifiMicrosoftDriverVersion", &self.wifi_microsoft_driver_version)?;
        out.property("wifiRadioType", &self.wifi_radio_type)?;
        out.property("wifiSignalStrength", &self.wifi_signal_strength)?;
        out.property("wifiVendorDriver", &self.wifi_vendor_driver)?;
        out.property("wifiVendorDriverVersion", &self.wifi_vendor_driver_version)?;
        out.end()
    }
}

impl Serialize for NetworkInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for NetworkInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for NetworkInfo {
    fn sample() -> Self {
        Self {
            bandwidth_low_event_ratio: Some(Sample::sample()),
            basic_service_set_identifier: Some(Sample::sample()),
            connection_type: Some(Sample::sample()),
            delay_event_ratio: Some(Sample::sample()),
            dns_suffix: Some(Sample::sample()),
            ip_address: Some(Sample::sample()),
            link_speed: Some(Sample::sample()),
            mac_address: Some(Sample::sample()),
            network_transport_protocol: Some(Sample::sample()),
            port: Some(Sample::sample()),
            received_quality_event_ratio: Some(Sample::sample()),
            reflexive_ip_address: Some(Sample::sample()),
            relay_ip_address: Some(Sample::sample()),
            relay_port: Some(Sample::sample()),
            sent_quality_event_ratio: Some(Sample::sample()),
            subnet: Some(Sample::sample()),
            trace_route_hops: Some(vec![Sample::sample()]),
            wifi_band: Some(Sample::sample()),
            wifi_battery_charge: Some(Sample::sample()),
            wifi_channel: Some(Sample::sample()),
            wifi_microsoft_driver: Some(Sample::sample()),
            wifi_microsoft_driver_version: Some(Sample::sample()),
            wifi_radio_type: Some(Sample::sample()),
            wifi_signal_strength: Some(Sample::sample()),
            wifi_vendor_driver: Some(Sample::sample()),
            wifi_vendor_driver_version: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.organizer`: entity type derived from `microsoft.graph.callRecords.participantBase`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Organizer {
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `administrativeUnitInfos`: `Collection(microsoft.graph.callRecords.administrativeUnitInfo)`
    pub administrative_unit_infos: Option<Vec<AdministrativeUnitInfo>>,
    /// `identity`: `microsoft.graph.communicationsIdentitySet`
    pub identity: Option<super::graph::CommunicationsIdentitySet>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for Organizer {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.organizer";
    const PROPERTY_NAMES: &'static [&'static str] = &["id", "administrativeUnitInfos", "identity"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: super::take(&mut object, "id")?,
            administrative_unit_infos: super::take(&mut object, "administrativeUnitInfos")?,
            identity: super::take(&mut object, "identity")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl Organizer {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("id", &self.id)?;
        out.property("administrativeUnitInfos", &self.administrative_unit_infos)?;
        out.property("identity", &self.identity)?;
        out.end()
    }
}

impl Serialize for Organizer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for Organizer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for Organizer {
    fn sample() -> Self {
        Self {
            id: Some(Sample::sample()),
            administrative_unit_infos: Some(vec![Sample::sample()]),
            identity: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.participant`: entity type derived from `microsoft.graph.callRecords.participantBase`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Participant {
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `administrativeUnitInfos`: `Collection(microsoft.graph.callRecords.administrativeUnitInfo)`
    pub administrative_unit_infos: Option<Vec<AdministrativeUnitInfo>>,
    /// `identity`: `microsoft.graph.communicationsIdentitySet`
    pub identity: Option<super::graph::CommunicationsIdentitySet>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for Participant {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.participant";
    const PROPERTY_NAMES: &'static [&'static str] = &["id", "administrativeUnitInfos", "identity"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: super::take(&mut object, "id")?,
            administrative_unit_infos: super::take(&mut object, "administrativeUnitInfos")?,
            identity: super::take(&mut object, "identity")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl Participant {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("id", &self.id)?;
        out.property("administrativeUnitInfos", &self.administrative_unit_infos)?;
        out.property("identity", &self.identity)?;
        out.end()
    }
}

impl Serialize for Participant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for Participant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for Participant {
    fn sample() -> Self {
        Self {
            id: Some(Sample::sample()),
            administrative_unit_infos: Some(vec![Sample::sample()]),
            identity: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.participantBase`: abstract entity type derived from `microsoft.graph.entity`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParticipantBase {
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `administrativeUnitInfos`: `Collection(microsoft.graph.callRecords.administrativeUnitInfo)`
    pub administrative_unit_infos: Option<Vec<AdministrativeUnitInfo>>,
    /// `identity`: `microsoft.graph.communicationsIdentitySet`
    pub identity: Option<super::graph::CommunicationsIdentitySet>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for ParticipantBase {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.participantBase";
    const PROPERTY_NAMES: &'static [&'static str] = &["id", "administrativeUnitInfos", "identity"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: super::take(&mut object, "id")?,
            administrative_unit_infos: super::take(&mut object, "administrativeUnitInfos")?,
            identity: super::take(&mut object, "identity")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl ParticipantBase {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("id", &self.id)?;
        out.property("administrativeUnitInfos", &self.administrative_unit_infos)?;
        out.property("identity", &self.identity)?;
        out.end()
    }
}

impl Serialize for ParticipantBase {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for ParticipantBase {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for ParticipantBase {
    fn sample() -> Self {
        Self {
            id: Some(Sample::sample()),
            administrative_unit_infos: Some(vec![Sample::sample()]),
            identity: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.participantEndpoint`: complex type derived from `microsoft.graph.callRecords.endpoint`.
///
/// In a slot of type `microsoft.graph.callRecords.endpoint` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParticipantEndpoint {
    /// `userAgent`: `microsoft.graph.callRecords.userAgent`
    pub user_agent: Option<AnyUserAgent>,
    /// `associatedIdentity`: `microsoft.graph.identity`
    pub associated_identity: Option<super::graph::AnyIdentity>,
    /// `cpuCoresCount`: `Edm.Int32`
    pub cpu_cores_count: Option<i32>,
    /// `cpuName`: `Edm.String`
    pub cpu_name: Option<String>,
    /// `cpuProcessorSpeedInMhz`: `Edm.Int32`
    pub cpu_processor_speed_in_mhz: Option<i32>,
    /// `feedback`: `microsoft.graph.callRecords.userFeedback`
    pub feedback: Option<UserFeedback>,
    /// `identity`: `microsoft.graph.identitySet`
    pub identity: Option<super::graph::AnyIdentitySet>,
    /// `name`: `Edm.String`
    pub name: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for ParticipantEndpoint {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.participantEndpoint";
    const PROPERTY_NAMES: &'static [&'static str] = &["userAgent", "associatedIdentity", "cpuCoresCount", "cpuName", "cpuProcessorSpeedInMhz", "feedback", "identity", "name"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            user_agent: super::take(&mut object, "userAgent")?,
            associated_identity: super::take(&mut object, "associatedIdentity")?,
            cpu_cores_count: super::take(&mut object, "cpuCoresCount")?,
            cpu_name: super::take(&mut object, "cpuName")?,
            cpu_processor_speed_in_mhz: super::take(&mut object, "cpuProcessorSpeedInMhz")?,
            feedback: super::take(&mut object, "feedback")?,
            identity: super::take(&mut object, "identity")?,
            name: super::take(&mut object, "name")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl ParticipantEndpoint {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("userAgent", &self.user_agent)?;
        out.property("associatedIdentity", &self.associated_identity)?;
        out.property("cpuCoresCount", &self.cpu_cores_count)?;
        out.property("cpuName", &self.cpu_name)?;
        out.property("cpuProcessorSpeedInMhz", &self.cpu_processor_speed_in_mhz)?;
        out.property("feedback", &self.feedback)?;
        out.property("identity", &self.identity)?;
        out.property("name", &self.name)?;
        out.end()
    }
}

impl Serialize for ParticipantEndpoint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for ParticipantEndpoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for ParticipantEndpoint {
    fn sample() -> Self {
        Self {
            user_agent: Some(Sample::sample()),
            associated_identity: Some(Sample::sample()),
            cpu_cores_count: Some(Sample::sample()),
            cpu_name: Some(Sample::sample()),
            cpu_processor_speed_in_mhz: Some(Sample::sample()),
            feedback: Some(Sample::sample()),
            identity: Some(Sample::sample()),
            name: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.pstnCallLogRow`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PstnCallLogRow {
    /// `callDurationSource`: `microsoft.graph.callRecords.pstnCallDurationSource`
    pub call_duration_source: Option<PstnCallDurationSource>,
    /// `calleeNumber`: `Edm.String`
    pub callee_number: Option<String>,
    /// `callerNumber`: `Edm.String`
    pub caller_number: Option<String>,
    /// `callId`: `Edm.String`
    pub call_id: Option<String>,
    /// `callType`: `Edm.String`
    pub call_type: Option<String>,
    /// `charge`: `Edm.Decimal`
    pub charge: Option<f64>,
    /// `conferenceId`: `Edm.String`
    pub conference_id: Option<String>,
    /// `connectionCharge`: `Edm.Decimal`
    pub connection_charge: Option<f64>,
    /// `currency`: `Edm.String`
    pub currency: Option<String>,
    /// `destinationContext`: `Edm.String`
    pub destination_context: Option<String>,
    /// `destinationName`: `Edm.String`
    pub destination_name: Option<String>,
    /// `duration`: `Edm.Int32`
    pub duration: Option<i32>,
    /// `endDateTime`: `Edm.DateTimeOffset`
    pub end_date_time: Option<super::DateTimeOffset>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `inventoryType`: `Edm.String`
    pub inventory_type: Option<String>,
    /// `licenseCapability`: `Edm.String`
    pub license_capability: Option<String>,
    /// `operator`: `Edm.String`
    pub operator: Option<String>,
    /// `startDateTime`: `Edm.DateTimeOffset`
    pub start_date_time: Option<super::DateTimeOffset>,
    /// `tenantCountryCode`: `Edm.String`
    pub tenant_country_code: Option<String>,
    /// `usageCountryCode`: `Edm.String`
    pub usage_country_code: Option<String>,
    /// `userDisplayName`: `Edm.String`
    pub user_display_name: Option<String>,
    /// `userId`: `Edm.String`
    pub user_id: Option<String>,
    /// `userPrincipalName`: `Edm.String`
    pub user_principal_name: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for PstnCallLogRow {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.pstnCallLogRow";
    const PROPERTY_NAMES: &'static [&'static str] = &["callDurationSource", "calleeNumber", "callerNumber", "callId", "callType", "charge", "conferenceId", "connectionCharge", "currency", "destinationContext", "destinationName", "duration", "endDateTime", "id", "inventoryType", "licenseCapability", "operator", "startDateTime", "tenantCountryCode", "usageCountryCode", "userDisplayName", "userId", "userPrincipalName"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            call_duration_source: super::take(&mut object, "callDurationSource")?,
            callee_number: super::take(&mut object, "calleeNumber")?,
            caller_number: super::take(&mut object, "callerNumber")?,
            call_id: super::take(&mut object, "callId")?,
            call_type: super::take(&mut object, "callType")?,
            charge: super::take(&mut object, "charge")?,
            conference_id: super::take(&mut object, "conferenceId")?,
            connection_charge: super::take(&mut object, "connectionCharge")?,
            currency: super::take(&mut object, "currency")?,
            destination_context: super::take(&mut object, "destinationContext")?,
            destination_name: super::take(&mut object, "destinationName")?,
            duration: super::take(&mut object, "duration")?,
            end_date_time: super::take(&mut object, "endDateTime")?,
            id: super::take(&mut object, "id")?,
            inventory_type: super::take(&mut object, "inventoryType")?,
            license_capability: super::take(&mut object, "licenseCapability")?,
            operator: super::take(&mut object, "operator")?,
            start_date_time: super::take(&mut object, "startDateTime")?,
            tenant_country_code: super::take(&mut object, "tenantCountryCode")?,
            usage_country_code: super::take(&mut object, "usageCountryCode")?,
            user_display_name: super::take(&mut object, "userDisplayName")?,
            user_id: super::take(&mut object, "userId")?,
            user_principal_name: super::take(&mut object, "userPrincipalName")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl PstnCallLogRow {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("callDurationSource", &self.call_duration_source)?;
        out.property("calleeNumber", &self.callee_number)?;
        out.property("callerNumber", &self.caller_number)?;
        out.property("callId", &self.call_id)?;
        out.property("callType", &self.call_type)?;
        out.property("charge", &self.charge)?;
        out.property("conferenceId", &self.conference_id)?;
        out.property("connectionCharge", &self.connection_charge)?;
        out.property("currency", &self.currency)?;
        out.property("destinationContext", &self.destination_context)?;
        out.property("destinationName", &self.destination_name)?;
        out.property("duration", &self.duration)?;
        out.property("endDateTime", &self.end_date_time)?;
        out.property("id", &self.id)?;
        out.property("inventoryType", &self.inventory_type)?;
        out.property("licenseCapability", &self.license_capability)?;
        out.property("operator", &self.operator)?;
        out.property("startDateTime", &self.start_date_time)?;
        out.property("tenantCountryCode", &self.tenant_country_code)?;
        out.property("usageCountryCode", &self.usage_country_code)?;
        out.property("userDisplayName", &self.user_display_name)?;
        out.property("userId", &self.user_id)?;
        out.property("userPrincipalName", &self.user_principal_name)?;
        out.end()
    }
}

impl Serialize for PstnCallLogRow {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for PstnCallLogRow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for PstnCallLogRow {
    fn sample() -> Self {
        Self {
            call_duration_source: Some(Sample::sample()),
            callee_number: Some(Sample::sample()),
            caller_number: Some(Sample::sample()),
            call_id: Some(Sample::sample()),
            call_type: Some(Sample::sample()),
            charge: Some(Sample::sample()),
            conference_id: Some(Sample::sample()),
            connection_charge: Some(Sample::sample()),
            currency: Some(Sample::sample()),
            destination_context: Some(Sample::sample()),
            destination_name: Some(Sample::sample()),
            duration: Some(Sample::sample()),
            end_date_time: Some(Sample::sample()),
            id: Some(Sample::sample()),
            inventory_type: Some(Sample::sample()),
            license_capability: Some(Sample::sample()),
            operator: Some(Sample::sample()),
            start_date_time: Some(Sample::sample()),
            tenant_country_code: Some(Sample::sample()),
            usage_country_code: Some(Sample::sample()),
            user_display_name: Some(Sample::sample()),
            user_id: Some(Sample::sample()),
            user_principal_name: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.segment`: entity type derived from `microsoft.graph.entity`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Segment {
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `callee`: `microsoft.graph.callRecords.endpoint`
    pub callee: Option<AnyEndpoint>,
    /// `caller`: `microsoft.graph.callRecords.endpoint`
    pub caller: Option<AnyEndpoint>,
    /// `endDateTime`: `Edm.DateTimeOffset`
    pub end_date_time: Option<super::DateTimeOffset>,
    /// `failureInfo`: `microsoft.graph.callRecords.failureInfo`
    pub failure_info: Option<FailureInfo>,
    /// `media`: `Collection(microsoft.graph.callRecords.media)`
    pub media: Option<Vec<Media>>,
    /// `startDateTime`: `Edm.DateTimeOffset`
    pub start_date_time: Option<super::DateTimeOffset>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for Segment {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.segment";
    const PROPERTY_NAMES: &'static [&'static str] = &["id", "callee", "caller", "endDateTime", "failureInfo", "media", "startDateTime"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: super::take(&mut object, "id")?,
            callee: super::take(&mut object, "callee")?,
            caller: super::take(&mut object, "caller")?,
            end_date_time: super::take(&mut object, "endDateTime")?,
            failure_info: super::take(&mut object, "failureInfo")?,
            media: super::take(&mut object, "media")?,
            start_date_time: super::take(&mut object, "startDateTime")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl Segment {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("id", &self.id)?;
        out.property("callee", &self.callee)?;
        out.property("caller", &self.caller)?;
        out.property("endDateTime", &self.end_date_time)?;
        out.property("failureInfo", &self.failure_info)?;
        out.property("media", &self.media)?;
        out.property("startDateTime", &self.start_date_time)?;
        out.end()
    }
}

impl Serialize for Segment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for Segment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for Segment {
    fn sample() -> Self {
        Self {
            id: Some(Sample::sample()),
            callee: Some(Sample::sample()),
            caller: Some(Sample::sample()),
            end_date_time: Some(Sample::sample()),
            failure_info: Some(Sample::sample()),
            media: Some(vec![Sample::sample()]),
            start_date_time: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.serviceEndpoint`: complex type derived from `microsoft.graph.callRecords.endpoint`.
///
/// In a slot of type `microsoft.graph.callRecords.endpoint` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceEndpoint {
    /// `userAgent`: `microsoft.graph.callRecords.userAgent`
    pub user_agent: Option<AnyUserAgent>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for ServiceEndpoint {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.serviceEndpoint";
    const PROPERTY_NAMES: &'static [&'static str] = &["userAgent"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            user_agent: super::take(&mut object, "userAgent")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl ServiceEndpoint {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("userAgent", &self.user_agent)?;
        out.end()
    }
}

impl Serialize for ServiceEndpoint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for ServiceEndpoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for ServiceEndpoint {
    fn sample() -> Self {
        Self {
            user_agent: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.serviceUserAgent`: complex type derived from `microsoft.graph.callRecords.userAgent`.
///
/// In a slot of type `microsoft.graph.callRecords.userAgent` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceUserAgent {
    /// `applicationVersion`: `Edm.String`
    pub application_version: Option<String>,
    /// `headerValue`: `Edm.String`
    pub header_value: Option<String>,
    /// `role`: `microsoft.graph.callRecords.serviceRole`
    pub role: Option<ServiceRole>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for ServiceUserAgent {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.serviceUserAgent";
    const PROPERTY_NAMES: &'static [&'static str] = &["applicationVersion", "headerValue", "role"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            application_version: super::take(&mut object, "applicationVersion")?,
            header_value: super::take(&mut object, "headerValue")?,
            role: super::take(&mut object, "role")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl ServiceUserAgent {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("applicationVersion", &self.application_version)?;
        out.property("headerValue", &self.header_value)?;
        out.property("role", &self.role)?;
        out.end()
    }
}

impl Serialize for ServiceUserAgent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for ServiceUserAgent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for ServiceUserAgent {
    fn sample() -> Self {
        Self {
            application_version: Some(Sample::sample()),
            header_value: Some(Sample::sample()),
            role: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.session`: entity type derived from `microsoft.graph.entity`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `callee`: `microsoft.graph.callRecords.endpoint`
    pub callee: Option<AnyEndpoint>,
    /// `caller`: `microsoft.graph.callRecords.endpoint`
    pub caller: Option<AnyEndpoint>,
    /// `endDateTime`: `Edm.DateTimeOffset`
    pub end_date_time: Option<super::DateTimeOffset>,
    /// `failureInfo`: `microsoft.graph.callRecords.failureInfo`
    pub failure_info: Option<FailureInfo>,
    /// `isTest`: `Edm.Boolean`
    pub is_test: Option<bool>,
    /// `modalities`: `Collection(microsoft.graph.callRecords.modality)`
    pub modalities: Option<Vec<Modality>>,
    /// `startDateTime`: `Edm.DateTimeOffset`
    pub start_date_time: Option<super::DateTimeOffset>,
    /// `segments`: `Collection(microsoft.graph.callRecords.segment)`, navigation
    pub segments: Option<Vec<Segment>>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for Session {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.session";
    const PROPERTY_NAMES: &'static [&'static str] = &["id", "callee", "caller", "endDateTime", "failureInfo", "isTest", "modalities", "startDateTime", "segments"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: super::take(&mut object, "id")?,
            callee: super::take(&mut object, "callee")?,
            caller: super::take(&mut object, "caller")?,
            end_date_time: super::take(&mut object, "endDateTime")?,
            failure_info: super::take(&mut object, "failureInfo")?,
            is_test: super::take(&mut object, "isTest")?,
            modalities: super::take(&mut object, "modalities")?,
            start_date_time: super::take(&mut object, "startDateTime")?,
            segments: super::take(&mut object, "segments")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl Session {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("id", &self.id)?;
        out.property("callee", &self.callee)?;
        out.property("caller", &self.caller)?;
        out.property("endDateTime", &self.end_date_time)?;
        out.property("failureInfo", &self.failure_info)?;
        out.property("isTest", &self.is_test)?;
        out.property("modalities", &self.modalities)?;
        out.property("startDateTime", &self.start_date_time)?;
        out.navigation("segments", &self.segments)?;
        out.end()
    }
}

impl Serialize for Session {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for Session {
    fn sample() -> Self {
        Self {
            id: Some(Sample::sample()),
            callee: Some(Sample::sample()),
            caller: Some(Sample::sample()),
            end_date_time: Some(Sample::sample()),
            failure_info: Some(Sample::sample()),
            is_test: Some(Sample::sample()),
            modalities: Some(vec![Sample::sample()]),
            start_date_time: Some(Sample::sample()),
            segments: Some(vec![Sample::sample()]),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.traceRouteHop`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TraceRouteHop {
    /// `hopCount`: `Edm.Int32`
    pub hop_count: Option<i32>,
    /// `ipAddress`: `Edm.String`
    pub ip_address: Option<String>,
    /// `roundTripTime`: `Edm.Duration`
    pub round_trip_time: Option<super::Duration>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for TraceRouteHop {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.traceRouteHop";
    const PROPERTY_NAMES: &'static [&'static str] = &["hopCount", "ipAddress", "roundTripTime"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            hop_count: super::take(&mut object, "hopCount")?,
            ip_address: super::take(&mut object, "ipAddress")?,
            round_trip_time: super::take(&mut object, "roundTripTime")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl TraceRouteHop {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("hopCount", &self.hop_count)?;
        out.property("ipAddress", &self.ip_address)?;
        out.property("roundTripTime", &self.round_trip_time)?;
        out.end()
    }
}

impl Serialize for TraceRouteHop {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for TraceRouteHop {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for TraceRouteHop {
    fn sample() -> Self {
        Self {
            hop_count: Some(Sample::sample()),
            ip_address: Some(Sample::sample()),
            round_trip_time: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.userAgent`: abstract complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserAgent {
    /// `applicationVersion`: `Edm.String`
    pub application_version: Option<String>,
    /// `headerValue`: `Edm.String`
    pub header_value: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for UserAgent {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.userAgent";
    const PROPERTY_NAMES: &'static [&'static str] = &["applicationVersion", "headerValue"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            application_version: super::take(&mut object, "applicationVersion")?,
            header_value: super::take(&mut object, "headerValue")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl UserAgent {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("applicationVersion", &self.application_version)?;
        out.property("headerValue", &self.header_value)?;
        out.end()
    }
}

impl Serialize for UserAgent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for UserAgent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for UserAgent {
    fn sample() -> Self {
        Self {
            application_version: Some(Sample::sample()),
            header_value: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// A `microsoft.graph.callRecords.userAgent` or a type derived from it, chosen by `@odata.type` when read.
///
/// A value without `@odata.type`, or with one this schema does not derive from the type, is read as
/// `microsoft.graph.callRecords.userAgent`; an unknown `@odata.type` is kept in its `additional_data`.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::enum_variant_names)] // named after the schema types
pub enum AnyUserAgent {
    /// `microsoft.graph.callRecords.userAgent`
    UserAgent(Box<UserAgent>),
    /// `microsoft.graph.callRecords.clientUserAgent`
    ClientUserAgent(Box<ClientUserAgent>),
    /// `microsoft.graph.callRecords.serviceUserAgent`
    ServiceUserAgent(Box<ServiceUserAgent>),
}

impl AnyUserAgent {
    /// The qualified name of the type held.
    pub fn qualified_name(&self) -> &'static str {
        match self {
            Self::UserAgent(_) => "microsoft.graph.callRecords.userAgent",
            Self::ClientUserAgent(_) => "microsoft.graph.callRecords.clientUserAgent",
            Self::ServiceUserAgent(_) => "microsoft.graph.callRecords.serviceUserAgent",
        }
    }
}

impl Default for AnyUserAgent {
    fn default() -> Self {
        Self::UserAgent(Box::default())
    }
}

impl From<UserAgent> for AnyUserAgent {
    fn from(value: UserAgent) -> Self {
        Self::UserAgent(Box::new(value))
    }
}

impl From<ClientUserAgent> for AnyUserAgent {
    fn from(value: ClientUserAgent) -> Self {
        Self::ClientUserAgent(Box::new(value))
    }
}

impl From<ServiceUserAgent> for AnyUserAgent {
    fn from(value: ServiceUserAgent) -> Self {
        Self::ServiceUserAgent(Box::new(value))
    }
}

impl Serialize for AnyUserAgent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::UserAgent(value) => value.write_json(serializer, None),
            Self::ClientUserAgent(value) => value.write_json(serializer, Some("#microsoft.graph.callRecords.clientUserAgent")),
            Self::ServiceUserAgent(value) => value.write_json(serializer, Some("#microsoft.graph.callRecords.serviceUserAgent")),
        }
    }
}

impl<'de> Deserialize<'de> for AnyUserAgent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl SchemaObject for AnyUserAgent {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.userAgent";
    const PROPERTY_NAMES: &'static [&'static str] = UserAgent::PROPERTY_NAMES;

    fn from_json_object(object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        match object.get("@odata.type").and_then(Value::as_str) {
            Some("#microsoft.graph.callRecords.clientUserAgent") => super::read_derived::<ClientUserAgent>(object, "#microsoft.graph.callRecords.clientUserAgent").map(Self::from),
            Some("#microsoft.graph.callRecords.serviceUserAgent") => super::read_derived::<ServiceUserAgent>(object, "#microsoft.graph.callRecords.serviceUserAgent").map(Self::from),
            _ => UserAgent::from_json_object(object).map(Self::from),
        }
    }

    fn additional_data(&self) -> &Map<String, Value> {
        match self {
            Self::UserAgent(value) => &value.additional_data,
            Self::ClientUserAgent(value) => &value.additional_data,
            Self::ServiceUserAgent(value) => &value.additional_data,
        }
    }

    fn type_name(&self) -> &'static str {
        self.qualified_name()
    }
}

impl Sample for AnyUserAgent {
    fn sample() -> Self {
        Self::from(UserAgent::sample())
    }
}

/// `microsoft.graph.callRecords.userFeedback`: complex type.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserFeedback {
    /// `rating`: `microsoft.graph.callRecords.userFeedbackRating`
    pub rating: Option<UserFeedbackRating>,
    /// `text`: `Edm.String`
    pub text: Option<String>,
    /// `tokens`: `microsoft.graph.callRecords.feedbackTokenSet`
    pub tokens: Option<FeedbackTokenSet>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for UserFeedback {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.userFeedback";
    const PROPERTY_NAMES: &'static [&'static str] = &["rating", "text", "tokens"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            rating: super::take(&mut object, "rating")?,
            text: super::take(&mut object, "text")?,
            tokens: super::take(&mut object, "tokens")?,
            additional_data: object,
        })
    }

    fn additional_data(&self) -> &Map<String, Value> {
        &self.additional_data
    }
}

impl UserFeedback {
    /// Writes the value, with `odata_type` as its `@odata.type` unless it kept one it was read with.
    pub(crate) fn write_json<S: Serializer>(&self, serializer: S, odata_type: Option<&'static str>) -> Result<S::Ok, S::Error> {
        let mut out = super::ObjectWriter::begin(serializer, &self.additional_data, Self::PROPERTY_NAMES, odata_type)?;
        out.property("rating", &self.rating)?;
        out.property("text", &self.text)?;
        out.property("tokens", &self.tokens)?;
        out.end()
    }
}

impl Serialize for UserFeedback {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write_json(serializer, None)
    }
}

impl<'de> Deserialize<'de> for UserFeedback {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_json_object(Map::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

impl Sample for UserFeedback {
    fn sample() -> Self {
        Self {
            rating: Some(Sample::sample()),
            text: Some(Sample::sample()),
            tokens: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// `microsoft.graph.callRecords.userIdentity`: open complex type derived from `microsoft.graph.identity`.
///
/// In a slot of type `microsoft.graph.identity` it is written with its `@odata.type`, which tells it apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserIdentity {
    /// `displayName`: `Edm.String`
    pub display_name: Option<String>,
    /// `id`: `Edm.String`
    pub id: Option<String>,
    /// `userPrincipalName`: `Edm.String`
    pub user_principal_name: Option<String>,
    /// Keys the schema does not declare for this type, kept to be written back.
    pub additional_data: Map<String, Value>,
}

impl SchemaObject for UserIdentity {
    const QUALIFIED_NAME: &'static str = "microsoft.graph.callRecords.userIdentity";
    const PROPERTY_NAMES: &'static [&'static str] = &["displayName", "id", "userPrincipalName"];

    fn from_json_object(mut object: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(Self {
            display_name: super::take(&mut object, "displayName")?,
            id: super::take(&mut object, "id")?,
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
            user_principal_name: Some(Sample::sample()),
            additional_data: Map::new(),
        }
    }
}

/// A fully populated value of the named type, as JSON.
pub(super) fn sample_json(qualified_name: &str) -> Option<Value> {
    match qualified_name {
        "microsoft.graph.callRecords.administrativeUnitInfo" => Some(super::sample_json_of(&AdministrativeUnitInfo::sample())),
        "microsoft.graph.callRecords.callRecord" => Some(super::sample_json_of(&CallRecord::sample())),
        "microsoft.graph.callRecords.clientUserAgent" => Some(super::sample_json_of::<AnyUserAgent>(&AnyUserAgent::from(ClientUserAgent::sample()))),
        "microsoft.graph.callRecords.deviceInfo" => Some(super::sample_json_of(&DeviceInfo::sample())),
        "microsoft.graph.callRecords.directRoutingLogRow" => Some(super::sample_json_of(&DirectRoutingLogRow::sample())),
        "microsoft.graph.callRecords.endpoint" => Some(super::sample_json_of(&Endpoint::sample())),
        "microsoft.graph.callRecords.failureInfo" => Some(super::sample_json_of(&FailureInfo::sample())),
        "microsoft.graph.callRecords.feedbackTokenSet" => Some(super::sample_json_of(&FeedbackTokenSet::sample())),
        "microsoft.graph.callRecords.media" => Some(super::sample_json_of(&Media::sample())),
        "microsoft.graph.callRecords.mediaStream" => Some(super::sample_json_of(&MediaStream::sample())),
        "microsoft.graph.callRecords.networkInfo" => Some(super::sample_json_of(&NetworkInfo::sample())),
        "microsoft.graph.callRecords.organizer" => Some(super::sample_json_of(&Organizer::sample())),
        "microsoft.graph.callRecords.participant" => Some(super::sample_json_of(&Participant::sample())),
        "microsoft.graph.callRecords.participantBase" => Some(super::sample_json_of(&ParticipantBase::sample())),
        "microsoft.graph.callRecords.participantEndpoint" => Some(super::sample_json_of::<AnyEndpoint>(&AnyEndpoint::from(ParticipantEndpoint::sample()))),
        "microsoft.graph.callRecords.pstnCallLogRow" => Some(super::sample_json_of(&PstnCallLogRow::sample())),
        "microsoft.graph.callRecords.segment" => Some(super::sample_json_of(&Segment::sample())),
        "microsoft.graph.callRecords.serviceEndpoint" => Some(super::sample_json_of::<AnyEndpoint>(&AnyEndpoint::from(ServiceEndpoint::sample()))),
        "microsoft.graph.callRecords.serviceUserAgent" => Some(super::sample_json_of::<AnyUserAgent>(&AnyUserAgent::from(ServiceUserAgent::sample()))),
        "microsoft.graph.callRecords.session" => Some(super::sample_json_of(&Session::sample())),
        "microsoft.graph.callRecords.traceRouteHop" => Some(super::sample_json_of(&TraceRouteHop::sample())),
        "microsoft.graph.callRecords.userAgent" => Some(super::sample_json_of(&UserAgent::sample())),
        "microsoft.graph.callRecords.userFeedback" => Some(super::sample_json_of(&UserFeedback::sample())),
        "microsoft.graph.callRecords.userIdentity" => Some(super::sample_json_of::<super::graph::AnyIdentity>(&super::graph::AnyIdentity::from(UserIdentity::sample()))),
        _ => None,
    }
}

/// Reads `json` as the named type and writes it back.
pub(super) fn reread(qualified_name: &str, json: Value) -> Option<Result<super::Reread, serde_json::Error>> {
    match qualified_name {
        "microsoft.graph.callRecords.administrativeUnitInfo" => Some(super::reread_as::<AdministrativeUnitInfo>(json)),
        "microsoft.graph.callRecords.callRecord" => Some(super::reread_as::<CallRecord>(json)),
        "microsoft.graph.callRecords.clientUserAgent" => Some(super::reread_as::<AnyUserAgent>(json)),
        "microsoft.graph.callRecords.deviceInfo" => Some(super::reread_as::<DeviceInfo>(json)),
        "microsoft.graph.callRecords.directRoutingLogRow" => Some(super::reread_as::<DirectRoutingLogRow>(json)),
        "microsoft.graph.callRecords.endpoint" => Some(super::reread_as::<Endpoint>(json)),
        "microsoft.graph.callRecords.failureInfo" => Some(super::reread_as::<FailureInfo>(json)),
        "microsoft.graph.callRecords.feedbackTokenSet" => Some(super::reread_as::<FeedbackTokenSet>(json)),
        "microsoft.graph.callRecords.media" => Some(super::reread_as::<Media>(json)),
        "microsoft.graph.callRecords.mediaStream" => Some(super::reread_as::<MediaStream>(json)),
        "microsoft.graph.callRecords.networkInfo" => Some(super::reread_as::<NetworkInfo>(json)),
        "microsoft.graph.callRecords.organizer" => Some(super::reread_as::<Organizer>(json)),
        "microsoft.graph.callRecords.participant" => Some(super::reread_as::<Participant>(json)),
        "microsoft.graph.callRecords.participantBase" => Some(super::reread_as::<ParticipantBase>(json)),
        "microsoft.graph.callRecords.participantEndpoint" => Some(super::reread_as::<AnyEndpoint>(json)),
        "microsoft.graph.callRecords.pstnCallLogRow" => Some(super::reread_as::<PstnCallLogRow>(json)),
        "microsoft.graph.callRecords.segment" => Some(super::reread_as::<Segment>(json)),
        "microsoft.graph.callRecords.serviceEndpoint" => Some(super::reread_as::<AnyEndpoint>(json)),
        "microsoft.graph.callRecords.serviceUserAgent" => Some(super::reread_as::<AnyUserAgent>(json)),
        "microsoft.graph.callRecords.session" => Some(super::reread_as::<Session>(json)),
        "microsoft.graph.callRecords.traceRouteHop" => Some(super::reread_as::<TraceRouteHop>(json)),
        "microsoft.graph.callRecords.userAgent" => Some(super::reread_as::<UserAgent>(json)),
        "microsoft.graph.callRecords.userFeedback" => Some(super::reread_as::<UserFeedback>(json)),
        "microsoft.graph.callRecords.userIdentity" => Some(super::reread_as::<super::graph::AnyIdentity>(json)),
        _ => None,
    }
}

/// Reads `member` as a member of the named enum and writes it back.
pub(super) fn enum_round_trip(qualified_name: &str, member: &str) -> Option<Result<(bool, Value), serde_json::Error>> {
    match qualified_name {
        "microsoft.graph.callRecords.audioCodec" => Some(super::enum_round_trip_as::<AudioCodec>(member)),
        "microsoft.graph.callRecords.callType" => Some(super::enum_round_trip_as::<CallType>(member)),
        "microsoft.graph.callRecords.clientPlatform" => Some(super::enum_round_trip_as::<ClientPlatform>(member)),
        "microsoft.graph.callRecords.failureStage" => Some(super::enum_round_trip_as::<FailureStage>(member)),
        "microsoft.graph.callRecords.mediaStreamDirection" => Some(super::enum_round_trip_as::<MediaStreamDirection>(member)),
        "microsoft.graph.callRecords.modality" => Some(super::enum_round_trip_as::<Modality>(member)),
        "microsoft.graph.callRecords.networkConnectionType" => Some(super::enum_round_trip_as::<NetworkConnectionType>(member)),
        "microsoft.graph.callRecords.networkTransportProtocol" => Some(super::enum_round_trip_as::<NetworkTransportProtocol>(member)),
        "microsoft.graph.callRecords.productFamily" => Some(super::enum_round_trip_as::<ProductFamily>(member)),
        "microsoft.graph.callRecords.pstnCallDurationSource" => Some(super::enum_round_trip_as::<PstnCallDurationSource>(member)),
        "microsoft.graph.callRecords.serviceRole" => Some(super::enum_round_trip_as::<ServiceRole>(member)),
        "microsoft.graph.callRecords.userFeedbackRating" => Some(super::enum_round_trip_as::<UserFeedbackRating>(member)),
        "microsoft.graph.callRecords.videoCodec" => Some(super::enum_round_trip_as::<VideoCodec>(member)),
        "microsoft.graph.callRecords.wifiBand" => Some(super::enum_round_trip_as::<WifiBand>(member)),
        "microsoft.graph.callRecords.wifiRadioType" => Some(super::enum_round_trip_as::<WifiRadioType>(member)),
        _ => None,
    }
}
