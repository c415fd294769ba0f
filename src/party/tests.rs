use super::lists::Lists;
use super::*;

const DOMAINS: &str = "\
# domain\towner\trole\tsource
ring.com\tRing\tmaker\thttps://ring.com
tuyaus.com\tTuya\tplatform\thttps://tuya.com
espressif.com\tEspressif\tmaker\thttps://espressif.com
google-analytics.com\tGoogle\tanalytics\thttps://google.com
netflix.com\tNetflix\tservice\thttps://netflix.com
pool.ntp.org\tNTP Pool Project\tntp\thttps://ntppool.org
cloudfront.net\tAmazon\tcdn\thttps://aws.amazon.com
tplinkcloud.com\tTP-Link\tmaker\thttps://tp-link.com
";
const NETWORKS: &str =
    "16509\tAmazon\tcloud\thttps://www.peeringdb.com/asn/16509\n38365\tBaidu\tcompany\thttps://baidu.com\n";
const MAKERS: &str = "\
Ring\tbrand\tring llc\tring\thttps://ring.com
Espressif\tmodule\tespressif\tesp_,espressif\thttps://espressif.com
TP-Link\tbrand\ttp-link\ths100,hs110,kasa\thttps://tp-link.com
Lockly\tbrand\t\tlockly\thttps://lockly.com
";

fn lists() -> Lists {
    Lists::parse(DOMAINS, NETWORKS, MAKERS).unwrap()
}

fn sni(name: &str) -> Named<'_> {
    Named { name, source: "SNI" }
}

#[test]
fn makers_come_from_the_registrant_and_the_devices_own_names() {
    let lists = lists();
    let ring = identify(&lists, Some("Ring LLC"), &["RingDoorbellPro-3f2a"]);
    assert_eq!(ring.makers.len(), 1, "one maker, named once: {ring:?}");
    assert!(ring.makers[0].from_name, "the device's own name comes first");
    let plug = identify(&lists, Some("Espressif Inc."), &["HS100(US)"]);
    let owners: Vec<&str> = plug.makers.iter().map(|m| m.owner).collect();
    assert_eq!(owners, ["TP-Link", "Espressif"], "the brand before the module's maker");
    // A token counts at a word start only: "spring" is no Ring.
    assert!(identify(&lists, None, &["spring-sensor"]).makers.is_empty());
    assert!(identify(&lists, None, &[]).makers.is_empty());
}

#[test]
fn a_makers_domain_is_first_party_for_its_devices_and_third_for_other_brands() {
    let lists = lists();
    let ring = identify(&lists, Some("Ring LLC"), &[]);
    let party = judge(&lists, &[sni("fw.ring.com")], Some(16509), Some("AMAZON-02"), &[ring]);
    assert_eq!(party.kind, PartyKind::First);
    assert_eq!(party.owner.as_deref(), Some("Ring"));
    assert_eq!(party.basis, "SNI fw.ring.com is in a domain of the maker, Ring (from its MAC's registrant Ring LLC)");

    let plug = identify(&lists, Some("Espressif Inc."), &["HS100(US)"]);
    let party = judge(&lists, &[sni("fw.ring.com")], None, None, std::slice::from_ref(&plug));
    assert_eq!(party.kind, PartyKind::Third, "{party:?}");
    assert!(party.basis.ends_with("and the device's maker is TP-Link"), "{}", party.basis);

    // The module's maker counts as the device's own, and the basis says which maker.
    let party = judge(&lists, &[sni("espressif.com")], None, None, &[plug]);
    assert_eq!(party.kind, PartyKind::First);
    assert!(party.basis.contains("the Wi-Fi module's maker, Espressif"), "{}", party.basis);
}

#[test]
fn an_unknown_brand_leaves_another_makers_cloud_unjudged() {
    let lists = lists();
    let module_only = identify(&lists, Some("Espressif Inc."), &[]);
    let party = judge(&lists, &[sni("fw.ring.com")], None, None, &[module_only]);
    assert_eq!(party.kind, PartyKind::Unknown, "it may be a Ring with an Espressif module");
    assert_eq!(party.owner.as_deref(), Some("Ring"));
    assert!(party.basis.contains("known only by its Wi-Fi module's maker, Espressif"), "{}", party.basis);
}

#[test]
fn tracking_and_other_services_are_third_party_for_any_device() {
    let lists = lists();
    let unknown = Identity::default();
    for name in ["ssl.google-analytics.com", "api.netflix.com"] {
        let party = judge(&lists, &[Named { name, source: "DNS name" }], None, None, std::slice::from_ref(&unknown));
        assert_eq!(party.kind, PartyKind::Third, "{name}: {party:?}");
    }
}

#[test]
fn infrastructure_is_support_by_name_or_by_network() {
    let lists = lists();
    let party = judge(&lists, &[sni("d123.cloudfront.net")], Some(16509), Some("AMAZON-02"), &[]);
    assert_eq!((party.kind, party.owner.as_deref()), (PartyKind::Support, Some("Amazon")));
    let party = judge(&lists, &[sni("a1.tuyaus.com")], None, None, &[]);
    assert_eq!(party.kind, PartyKind::Support);
    assert!(party.basis.contains("many brands"), "{}", party.basis);
    let party = judge(&lists, &[], Some(16509), Some("AMAZON-02"), &[]);
    assert_eq!(party.kind, PartyKind::Support);
    assert_eq!(party.basis, "no name in the capture; AS16509 is Amazon's cloud hosting, which serves many companies");
}

#[test]
fn a_hard_coded_address_in_another_companys_network_is_third_party() {
    let lists = lists();
    let ring = identify(&lists, None, &["RingDoorbellPro-3f2a"]);
    let party = judge(&lists, &[], Some(38365), Some("Beijing Baidu Netcom"), &[ring]);
    assert_eq!((party.kind, party.owner.as_deref()), (PartyKind::Third, Some("Baidu")));
    assert!(party.basis.starts_with("no name in the capture; the address is in Baidu's own network"));
}

#[test]
fn nothing_listed_is_unknown_and_says_so() {
    let lists = lists();
    let party = judge(&lists, &[sni("api.smartcam-x.com")], Some(64500), Some("Some Hosting"), &[]);
    assert_eq!((party.kind, party.owner.as_deref()), (PartyKind::Unknown, Some("Some Hosting")));
    assert_eq!(party.basis, "SNI api.smartcam-x.com: the embedded lists do not say who owns smartcam-x.com");
    let party = judge(&lists, &[], Some(64500), Some("Some Hosting"), &[]);
    assert_eq!(party.basis, "no name in the capture, and its network, Some Hosting, is not on the embedded lists");
}

#[test]
fn a_domain_bearing_the_brands_name_is_first_party() {
    let lists = lists();
    let lock = identify(&lists, None, &["Lockly-Secure-Pro"]);
    let party = judge(&lists, &[sni("api.lockly.com")], None, None, &[lock]);
    assert_eq!(party.kind, PartyKind::First, "{party:?}");
    assert!(party.basis.contains("bears the name of the brand, Lockly"), "{}", party.basis);
}

#[test]
fn first_party_for_one_device_wins_over_the_others() {
    let lists = lists();
    let ring = identify(&lists, Some("Ring LLC"), &[]);
    let plug = identify(&lists, None, &["HS100"]);
    let party = judge(&lists, &[sni("fw.ring.com")], None, None, &[plug, ring]);
    assert_eq!(party.kind, PartyKind::First);
}
