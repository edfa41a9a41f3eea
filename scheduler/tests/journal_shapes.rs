//! Commands and answers survive a journal: their serde form reads back to
//! the same values, typed answers included.

use scheduler::arm::{Headers, Response, ResponseBody};
use scheduler::fleet::Fleet;
use scheduler::{Command, Config, Event, FORMAT_VERSION, Scheduler, strategy};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

#[test]
fn commands_and_answers_read_back_equal() {
    assert_eq!(FORMAT_VERSION, 1);
    let fleet = Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet");
    let strategy = strategy::by_name("wingtip").expect("built in");
    let mut s = Scheduler::new(fleet, strategy, Config::default(), 0);
    let mut seen = 0;
    while let Some(command) = s.poll_command() {
        let text = serde_json::to_string(&command).expect("command serializes");
        let back: Command = serde_json::from_str(&text).expect("command reads back");
        assert_eq!(back, command, "{text}");
        seen += 1;
    }
    assert!(seen >= 2, "{seen}");
    let headers = Headers::from_pairs([
        (
            "Azure-AsyncOperation",
            "https://management.azure.com/x?api-version=2023-08-01",
        ),
        ("Retry-After", "7"),
        ("x-ms-ratelimit-remaining-subscription-writes", "1199"),
    ]);
    let event = Event::Response {
        op: scheduler::OpId(3),
        response: Response {
            status: 202,
            headers,
            body: ResponseBody::Text(r#"{"operation":"CreateLogicalDatabase"}"#.to_owned()),
        },
    };
    let text = serde_json::to_string(&event).expect("event serializes");
    let back: Event = serde_json::from_str(&text).expect("event reads back");
    assert_eq!(back, event, "{text}");
}
