//! Interop with a real TURN server: Debian's coturn (`turnserver`) on 127.0.0.1, driven over
//! UDP with this crate's messages only (RFC 8489 Binding, RFC 8656 Allocate with the 401
//! long-term challenge, CreatePermission, ChannelBind, Send indication, ChannelData,
//! Refresh with LIFETIME 0). Every response is decoded, its transaction ID matched, its
//! MESSAGE-INTEGRITY verified with the long-term key and its FINGERPRINT checked.
//!
//! `#[ignore]`d: it needs coturn's `turnserver`; `cargo test -- --ignored` (as `bash .ci/run`,
//! which installs coturn, does) runs it and fails when coturn is missing.

use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use stun_turn_codec::{
    ChannelData, Class, IntegrityKey, LongTermAlgorithm, Message, MessageBuilder, Method,
    PasswordPrep, TransactionId, Transport,
};

const USER: &str = "alice";
const PASSWORD: &str = "wonderland";
const REALM: &str = "example.org";
const CHANNEL: u16 = 0x4000;
/// Bound on the whole exchange, server start included.
const OVERALL: Duration = Duration::from_secs(30);

fn find_turnserver() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("turnserver"))
        .find(|p| p.is_file())
}

/// Kills the server by PID when the test ends, however it ends.
struct Server {
    child: Child,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_server(bin: &PathBuf, port: u16) -> Server {
    let dir = std::env::temp_dir().join(format!("stun-codec-coturn-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let conf = dir.join("turnserver.conf");
    std::fs::write(&conf, "").unwrap();
    let child = Command::new(bin)
        .arg("-c")
        .arg(&conf)
        .args(["--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1"])
        .args(["--listening-port", &port.to_string()])
        .args(["--min-port", "40000", "--max-port", "60000"])
        .args([
            "--lt-cred-mech",
            "--user",
            &format!("{USER}:{PASSWORD}"),
            "--realm",
            REALM,
        ])
        .args(["--fingerprint", "--allow-loopback-peers"])
        .args([
            "--no-tls",
            "--no-dtls",
            "--no-tcp",
            "--no-cli",
            "--no-rfc5780",
        ])
        .arg("--db")
        .arg(dir.join("turndb"))
        .arg("--pidfile")
        .arg(dir.join("turnserver.pid"))
        .arg("--log-file")
        .arg(dir.join("turn.log"))
        .args(["--simple-log", "--no-stdout-log"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn turnserver");
    Server { child, dir }
}

struct Client {
    sock: UdpSocket,
    server: SocketAddr,
    next_tid: u32,
    deadline: Instant,
}

impl Client {
    fn tid(&mut self) -> TransactionId {
        self.next_tid += 1;
        let mut t = [0u8; 12];
        t[..4].copy_from_slice(&std::process::id().to_be_bytes());
        t[8..].copy_from_slice(&self.next_tid.to_be_bytes());
        TransactionId(t)
    }

    /// Sends `request` until a response with its transaction ID arrives (RFC 8489 §6.2.1
    /// retransmission, shortened for loopback); returns the response bytes.
    fn transact(&self, request: &[u8]) -> Vec<u8> {
        let tid = Message::parse(request).unwrap().transaction_id();
        let mut buf = [0u8; 2048];
        for _ in 0..10 {
            assert!(
                Instant::now() < self.deadline,
                "interop test exceeded {OVERALL:?}"
            );
            self.sock.send_to(request, self.server).unwrap();
            let until = Instant::now() + Duration::from_millis(300);
            while Instant::now() < until {
                match self.sock.recv_from(&mut buf) {
                    Ok((n, from)) => {
                        if from != self.server {
                            continue;
                        }
                        if let Ok(m) = Message::parse(&buf[..n]) {
                            if m.transaction_id() == tid {
                                return buf[..n].to_vec();
                            }
                        }
                    }
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Err(e) => {
                        // ICMP port unreachable while the server is still starting.
                        if e.kind() != std::io::ErrorKind::ConnectionRefused {
                            panic!("recv: {e}");
                        }
                        std::thread::sleep(Duration::from_millis(50));
                    }
                }
            }
        }
        panic!("no response from turnserver");
    }
}

/// Checks a success response: class, method, integrity with `key`, FINGERPRINT.
fn check_success<'a>(resp: &'a [u8], method: Method, key: &IntegrityKey) -> Message<'a> {
    let m = Message::parse(resp).unwrap();
    assert_eq!(m.method(), method);
    assert_eq!(
        m.class(),
        Class::SuccessResponse,
        "{method} failed: {:?}",
        m.error_code()
    );
    m.verify_integrity(key).unwrap();
    m.verify_fingerprint().unwrap();
    assert!(m.unknown_comprehension_required().next().is_none());
    m
}

fn recv_from_within(sock: &UdpSocket, buf: &mut [u8]) -> (usize, SocketAddr) {
    sock.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    sock.recv_from(buf).expect("peer data within 3 s")
}

#[test]
#[ignore = "needs coturn (bash .ci/run installs it)"]
fn coturn_allocate_permission_channel_refresh() {
    let bin = find_turnserver().expect("needs coturn's turnserver (bash .ci/run installs it)");
    let port = free_udp_port();
    let _server = start_server(&bin, port);
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let local = sock.local_addr().unwrap();
    let mut c = Client {
        sock,
        server: SocketAddr::from(([127, 0, 0, 1], port)),
        next_tid: 0,
        deadline: Instant::now() + OVERALL,
    };
    let mut out = Vec::with_capacity(512);

    // 1. Binding (RFC 8489 §3): XOR-MAPPED-ADDRESS is our own address on loopback.
    let tid = c.tid();
    out.clear();
    MessageBuilder::new(&mut out, Class::Request, Method::BINDING, tid)
        .fingerprint()
        .finish()
        .unwrap();
    let resp = c.transact(&out);
    let m = Message::parse(&resp).unwrap();
    assert_eq!(
        (m.class(), m.method()),
        (Class::SuccessResponse, Method::BINDING)
    );
    assert_eq!(m.xor_mapped_address().unwrap(), Some(local));
    m.verify_fingerprint().unwrap();

    // 2. Allocate without credentials: 401 with REALM and NONCE (RFC 8489 §9.2.3).
    let tid = c.tid();
    out.clear();
    MessageBuilder::new(&mut out, Class::Request, Method::ALLOCATE, tid)
        .requested_transport(17)
        .fingerprint()
        .finish()
        .unwrap();
    let resp = c.transact(&out);
    let m = Message::parse(&resp).unwrap();
    assert_eq!(m.class(), Class::ErrorResponse);
    assert_eq!(m.error_code().unwrap().map(|e| e.code), Some(401));
    assert_eq!(m.realm().unwrap(), Some(REALM));
    let nonce = m.nonce().unwrap().expect("401 carries NONCE").to_owned();
    assert!(m.message_integrity().is_none());
    m.verify_fingerprint().unwrap();

    let key = IntegrityKey::long_term(
        USER,
        REALM,
        PASSWORD,
        LongTermAlgorithm::Md5,
        PasswordPrep::OpaqueString,
    )
    .unwrap();
    let wrong = IntegrityKey::long_term(
        USER,
        REALM,
        "wonderlane",
        LongTermAlgorithm::Md5,
        PasswordPrep::OpaqueString,
    )
    .unwrap();
    let authed = |out: &mut Vec<u8>,
                  method: Method,
                  tid: TransactionId,
                  add: &dyn Fn(&mut MessageBuilder<&mut Vec<u8>>)| {
        out.clear();
        let mut b = MessageBuilder::new(&mut *out, Class::Request, method, tid);
        add(&mut b);
        b.username(USER)
            .realm(REALM)
            .nonce(&nonce)
            .message_integrity(&key)
            .fingerprint()
            .finish()
            .unwrap();
    };

    // 3. Allocate with long-term credentials (RFC 8656 §7.1).
    let tid = c.tid();
    authed(&mut out, Method::ALLOCATE, tid, &|b| {
        b.requested_transport(17).lifetime(600);
    });
    let resp = c.transact(&out);
    let m = check_success(&resp, Method::ALLOCATE, &key);
    assert!(m.verify_integrity(&wrong).is_err());
    let relayed = m
        .xor_relayed_address()
        .unwrap()
        .expect("XOR-RELAYED-ADDRESS");
    assert_eq!(relayed.ip(), local.ip());
    assert_eq!(m.xor_mapped_address().unwrap(), Some(local));
    assert!(m.lifetime().unwrap().is_some_and(|l| l > 0));

    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    let peer_addr = peer.local_addr().unwrap();

    // 4. CreatePermission for the peer (RFC 8656 §9).
    let tid = c.tid();
    authed(&mut out, Method::CREATE_PERMISSION, tid, &|b| {
        b.xor_peer_address(peer_addr);
    });
    let resp = c.transact(&out);
    check_success(&resp, Method::CREATE_PERMISSION, &key);

    // 5. Send indication: the peer receives the DATA from the relayed address (§10).
    out.clear();
    let tid = c.tid();
    MessageBuilder::new(&mut out, Class::Indication, Method::SEND, tid)
        .xor_peer_address(peer_addr)
        .data(b"via send indication")
        .fingerprint()
        .finish()
        .unwrap();
    c.sock.send_to(&out, c.server).unwrap();
    let mut buf = [0u8; 2048];
    let (n, from) = recv_from_within(&peer, &mut buf);
    assert_eq!(&buf[..n], b"via send indication");
    assert_eq!(from, relayed);

    // 6. ChannelBind (§11.1).
    let tid = c.tid();
    authed(&mut out, Method::CHANNEL_BIND, tid, &|b| {
        b.channel_number(CHANNEL).xor_peer_address(peer_addr);
    });
    let resp = c.transact(&out);
    check_success(&resp, Method::CHANNEL_BIND, &key);

    // 7. ChannelData to the peer (§12.4), and the peer's answer back as ChannelData.
    out.clear();
    ChannelData::write(&mut out, CHANNEL, b"via channel data", Transport::Udp).unwrap();
    c.sock.send_to(&out, c.server).unwrap();
    let (n, from) = recv_from_within(&peer, &mut buf);
    assert_eq!(&buf[..n], b"via channel data");
    assert_eq!(from, relayed);
    peer.send_to(b"reply from peer", relayed).unwrap();
    c.sock
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let (n, from) = c
        .sock
        .recv_from(&mut buf)
        .expect("ChannelData from the server");
    assert_eq!(from, c.server);
    let cd = ChannelData::parse(&buf[..n], Transport::Udp).unwrap();
    assert_eq!(cd.channel(), CHANNEL);
    assert_eq!(cd.data(), b"reply from peer");
    c.sock
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();

    // 8. Refresh with LIFETIME 0 deletes the allocation (§7.2).
    let tid = c.tid();
    authed(&mut out, Method::REFRESH, tid, &|b| {
        b.lifetime(0);
    });
    let resp = c.transact(&out);
    let m = check_success(&resp, Method::REFRESH, &key);
    assert_eq!(m.lifetime().unwrap(), Some(0));
}
