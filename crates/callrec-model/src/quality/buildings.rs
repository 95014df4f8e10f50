//! The subnet-to-building map an operator uploads, in the format of CQD's building data file, and the
//! lookup of a stream's subnet in it.
//!
//! CQD's file (Microsoft Learn, "Upload tenant and building data in Call Quality Dashboard") has no header
//! row and these columns in this order: NetworkIP, NetworkName, NetworkRange, BuildingName, OwnershipType,
//! BuildingType, BuildingOfficeType, City, ZipCode, Country, State, Region, InsideCorp, ExpressRoute, VPN.
//! callrec reads that file as it is (comma- or tab-separated), and also a file whose first row names the
//! columns, in any order, as long as it has at least NetworkIP, NetworkRange and BuildingName.
//! A subnet belongs to the most specific network that contains it.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// CQD's columns, in the order of its header-less file.
pub const CQD_COLUMNS: [&str; 15] = [
    "NetworkIP",
    "NetworkName",
    "NetworkRange",
    "BuildingName",
    "OwnershipType",
    "BuildingType",
    "BuildingOfficeType",
    "City",
    "ZipCode",
    "Country",
    "State",
    "Region",
    "InsideCorp",
    "ExpressRoute",
    "VPN",
];

/// One row of the building file: a network and the building it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Building {
    /// The network address (`NetworkIP`), as written.
    pub network_ip: String,
    /// The prefix length (`NetworkRange`), e.g. 24.
    pub network_range: u8,
    /// `BuildingName`.
    pub building_name: String,
    /// Every other column of the row, by its CQD name, in file order (empty values left out).
    pub attributes: Vec<(String, String)>,
}

impl Building {
    /// The value of a column by name, including the three main ones.
    pub fn column(&self, name: &str) -> Option<String> {
        match name {
            "NetworkIP" => Some(self.network_ip.clone()),
            "NetworkRange" => Some(self.network_range.to_string()),
            "BuildingName" => Some(self.building_name.clone()),
            _ => self
                .attributes
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone()),
        }
    }
}

/// Why a building file was refused: the line and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("building file line {line}: {message}")]
pub struct BuildingFileError {
    pub line: usize,
    pub message: String,
}

fn split_row(line: &str, delimiter: char) -> Vec<String> {
    // CSV quoting: a quoted field may hold the delimiter and doubled quotes.
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields.into_iter().map(|f| f.trim().to_owned()).collect()
}

/// Reads a building file (CSV or TSV, with or without a header row).
pub fn parse_buildings(text: &str) -> Result<Vec<Building>, BuildingFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let Some(&(_, first)) = lines.first() else {
        return Ok(Vec::new());
    };
    let delimiter = if first.contains('\t') { '\t' } else { ',' };
    let head = split_row(first, delimiter);
    let has_header = head
        .first()
        .is_some_and(|f| f.eq_ignore_ascii_case("NetworkIP") || f.parse::<IpAddr>().is_err())
        && head.iter().any(|f| f.eq_ignore_ascii_case("NetworkIP"));
    let columns: Vec<String> = if has_header {
        head.iter()
            .map(|h| {
                CQD_COLUMNS
                    .iter()
                    .find(|c| c.eq_ignore_ascii_case(h))
                    .map_or_else(|| h.clone(), |c| (*c).to_owned())
            })
            .collect()
    } else {
        CQD_COLUMNS.iter().map(|c| (*c).to_owned()).collect()
    };
    for required in ["NetworkIP", "NetworkRange", "BuildingName"] {
        if !columns.iter().any(|c| c == required) {
            return Err(BuildingFileError {
                line: 1,
                message: format!("the header has no {required} column"),
            });
        }
    }
    let rows = if has_header { &lines[1..] } else { &lines[..] };
    let mut out = Vec::with_capacity(rows.len());
    for &(line, row) in rows {
        let fields = split_row(row, delimiter);
        if fields.len() > columns.len() {
            return Err(BuildingFileError {
                line,
                message: format!(
                    "{} fields, more than the {} columns",
                    fields.len(),
                    columns.len()
                ),
            });
        }
        let get = |name: &str| {
            columns
                .iter()
                .position(|c| c == name)
                .and_then(|i| fields.get(i))
                .map(String::as_str)
                .unwrap_or_default()
        };
        let ip: IpAddr = get("NetworkIP").parse().map_err(|_| BuildingFileError {
            line,
            message: format!("NetworkIP '{}' is not an IP address", get("NetworkIP")),
        })?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let range: u8 = get("NetworkRange")
            .parse()
            .ok()
            .filter(|r| *r <= max)
            .ok_or_else(|| BuildingFileError {
                line,
                message: format!(
                    "NetworkRange '{}' is not a prefix length from 0 to {max}",
                    get("NetworkRange")
                ),
            })?;
        let building = get("BuildingName");
        if building.is_empty() {
            return Err(BuildingFileError {
                line,
                message: "BuildingName is empty".to_owned(),
            });
        }
        let attributes = columns
            .iter()
            .zip(&fields)
            .filter(|(c, v)| {
                !v.is_empty()
                    && !matches!(c.as_str(), "NetworkIP" | "NetworkRange" | "BuildingName")
            })
            .map(|(c, v)| (c.clone(), v.clone()))
            .collect();
        out.push(Building {
            network_ip: get("NetworkIP").to_owned(),
            network_range: range,
            building_name: building.to_owned(),
            attributes,
        });
    }
    Ok(out)
}

/// Writes buildings back as a CSV with a header row of CQD's columns (and any others the upload had).
pub fn buildings_csv(buildings: &[Building]) -> String {
    let mut columns: Vec<String> = CQD_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    for b in buildings {
        for (k, _) in &b.attributes {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let quote = |v: &str| {
        if v.contains([',', '"', '\n']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v.to_owned()
        }
    };
    let mut out = columns.join(",");
    out.push('\n');
    for b in buildings {
        let row: Vec<String> = columns
            .iter()
            .map(|c| quote(&b.column(c).unwrap_or_default()))
            .collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// The buildings, ready to look subnets up in.
#[derive(Debug, Clone, Default)]
pub struct BuildingMap {
    /// (network bits, prefix, building), most specific prefixes first.
    networks: Vec<(u128, u8, bool, usize)>,
    buildings: Vec<Building>,
}

fn bits(ip: IpAddr) -> (u128, bool) {
    match ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), true),
        IpAddr::V6(v6) => (u128::from(v6), false),
    }
}

fn mask(prefix: u8, v4: bool) -> u128 {
    let width = if v4 { 32 } else { 128 };
    if prefix == 0 {
        0
    } else {
        (u128::MAX << (width - u32::from(prefix)))
            & if v4 { u128::from(u32::MAX) } else { u128::MAX }
    }
}

impl BuildingMap {
    pub fn new(buildings: Vec<Building>) -> Self {
        let mut networks: Vec<(u128, u8, bool, usize)> = buildings
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let (addr, v4) = bits(b.network_ip.parse().ok()?);
                Some((addr & mask(b.network_range, v4), b.network_range, v4, i))
            })
            .collect();
        networks.sort_by(|a, b| b.1.cmp(&a.1).then(a.3.cmp(&b.3)));
        BuildingMap {
            networks,
            buildings,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.buildings.is_empty()
    }

    /// The building of the most specific network containing this subnet (or address).
    pub fn lookup(&self, subnet: &str) -> Option<&Building> {
        let (addr, v4) = bits(subnet.trim().parse().ok()?);
        self.networks
            .iter()
            .find(|(net, prefix, is_v4, _)| *is_v4 == v4 && addr & mask(*prefix, v4) == *net)
            .map(|(_, _, _, i)| &self.buildings[*i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cqd_files_without_and_with_a_header() {
        let plain = "10.0.0.0,HQ net,16,HQ,Contoso,Office,,Seattle,98052,US,WA,NA,1,0,0\n\
                     10.0.5.0,HQ floor 5,24,HQ Floor 5\n";
        let b = parse_buildings(plain).unwrap();
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].building_name, "HQ");
        assert_eq!(b[0].network_range, 16);
        assert_eq!(b[0].column("City").as_deref(), Some("Seattle"));
        assert_eq!(b[0].column("InsideCorp").as_deref(), Some("1"));
        assert_eq!(
            b[1].attributes,
            vec![("NetworkName".into(), "HQ floor 5".into())]
        );

        let headed = "BuildingName,NetworkRange,networkip\r\n\"Lab, north\",24,192.168.1.0\r\n";
        let b = parse_buildings(headed).unwrap();
        assert_eq!(b[0].building_name, "Lab, north");
        assert_eq!(b[0].network_ip, "192.168.1.0");

        let tsv = "NetworkIP\tNetworkRange\tBuildingName\n172.16.0.0\t12\tDC\n";
        assert_eq!(parse_buildings(tsv).unwrap()[0].building_name, "DC");
        // Written back and read again, a map is the same.
        let again = parse_buildings(&buildings_csv(&parse_buildings(plain).unwrap())).unwrap();
        assert_eq!(again, parse_buildings(plain).unwrap());
    }

    #[test]
    fn refuses_bad_rows_with_their_line() {
        let check = |text: &str, expected: &str| {
            assert_eq!(parse_buildings(text).unwrap_err().to_string(), expected);
        };
        check(
            "10.0.0.0,n,16,HQ\nx,n,16,B\n",
            "building file line 2: NetworkIP 'x' is not an IP address",
        );
        check(
            "10.0.0.0,n,33,HQ\n",
            "building file line 1: NetworkRange '33' is not a prefix length from 0 to 32",
        );
        check(
            "10.0.0.0,n,8,\n",
            "building file line 1: BuildingName is empty",
        );
        check(
            "NetworkIP,BuildingName\n10.0.0.0,HQ\n",
            "building file line 1: the header has no NetworkRange column",
        );
    }

    #[test]
    fn the_most_specific_network_wins() {
        let map = BuildingMap::new(
            parse_buildings(
                "10.0.0.0,,8,Campus\n10.1.2.0,,24,Lab\n10.1.0.0,,16,Tower\n2001:db8::,,32,V6\n",
            )
            .unwrap(),
        );
        let name = |s: &str| map.lookup(s).map(|b| b.building_name.clone());
        assert_eq!(name("10.1.2.0").as_deref(), Some("Lab"));
        assert_eq!(name("10.1.3.0").as_deref(), Some("Tower"));
        assert_eq!(name("10.200.0.0").as_deref(), Some("Campus"));
        assert_eq!(name("11.0.0.0"), None);
        assert_eq!(name("2001:db8:1::"), Some("V6".into()));
        assert_eq!(name("not an ip"), None);
    }
}
