// pion_call: one pion/webrtc v3 DTLS-SRTP call between two PeerConnections in one process
// on 127.0.0.1, sending VP8 (from an IVF file) and Opus (from an Ogg file) both ways.
//
//	pion_call -profile SRTP_AES128_CM_HMAC_SHA1_80 -ivf v.ivf -ogg a.ogg -out DIR/NAME -seconds 3
//
// Writes NAME.keylog (pion/dtls's NSS key log, through the KeyLogWriter that build.sh wires
// into webrtc's dtls.Config), NAME.offer.sdp, NAME.answer.sdp. The caller records the
// traffic with tshark. Built by build.sh in GOPATH mode against Debian's golang-github-pion-*.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"time"

	"github.com/pion/dtls/v2"
	"github.com/pion/ice/v2"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v3"
	"github.com/pion/webrtc/v3/pkg/media"
	"github.com/pion/webrtc/v3/pkg/media/ivfreader"
	"github.com/pion/webrtc/v3/pkg/media/oggreader"
)

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func newPC(api *webrtc.API, name string) *webrtc.PeerConnection {
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	check(err)
	pc.OnTrack(func(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		go func() {
			for {
				if _, _, err := t.ReadRTP(); err != nil {
					return
				}
			}
		}()
	})
	return pc
}

func addTracks(pc *webrtc.PeerConnection, name string) (*webrtc.TrackLocalStaticSample, *webrtc.TrackLocalStaticSample) {
	v, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8}, "video", name)
	check(err)
	a, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus}, "audio", name)
	check(err)
	for _, t := range []webrtc.TrackLocal{a, v} {
		s, err := pc.AddTrack(t)
		check(err)
		go func() { // read RTCP so the interceptors run
			buf := make([]byte, 1500)
			for {
				if _, _, err := s.Read(buf); err != nil {
					return
				}
			}
		}()
	}
	return v, a
}

func sendVideo(path string, track *webrtc.TrackLocalStaticSample, until time.Time) {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	r, h, err := ivfreader.NewWith(f)
	check(err)
	d := time.Duration(float64(time.Second) * float64(h.TimebaseNumerator) / float64(h.TimebaseDenominator))
	tick := time.NewTicker(d)
	defer tick.Stop()
	for range tick.C {
		frame, _, err := r.ParseNextFrame()
		if errors.Is(err, io.EOF) || time.Now().After(until) {
			return
		}
		check(err)
		check(track.WriteSample(media.Sample{Data: frame, Duration: d}))
	}
}

func sendAudio(path string, track *webrtc.TrackLocalStaticSample, until time.Time) {
	f, err := os.Open(path)
	check(err)
	defer f.Close()
	r, _, err := oggreader.NewWith(f)
	check(err)
	d := 20 * time.Millisecond
	tick := time.NewTicker(d)
	defer tick.Stop()
	var last uint64
	for range tick.C {
		page, h, err := r.ParseNextPage()
		if errors.Is(err, io.EOF) || time.Now().After(until) {
			return
		}
		check(err)
		n := h.GranulePosition - last
		last = h.GranulePosition
		if n == 0 || n > 48000 { // header pages
			continue
		}
		check(track.WriteSample(media.Sample{Data: page, Duration: time.Duration(n) * time.Second / 48000}))
	}
}

func main() {
	profile := flag.String("profile", "SRTP_AES128_CM_HMAC_SHA1_80", "SRTP_AES128_CM_HMAC_SHA1_80 or SRTP_AEAD_AES_128_GCM")
	ivf := flag.String("ivf", "", "VP8 IVF file")
	ogg := flag.String("ogg", "", "Opus Ogg file (one 20 ms packet per page)")
	out := flag.String("out", "", "output name prefix")
	seconds := flag.Float64("seconds", 3, "media duration")
	flag.Parse()

	profiles := map[string]dtls.SRTPProtectionProfile{
		"SRTP_AES128_CM_HMAC_SHA1_80": dtls.SRTP_AES128_CM_HMAC_SHA1_80,
		"SRTP_AEAD_AES_128_GCM":       dtls.SRTP_AEAD_AES_128_GCM,
	}
	prof, ok := profiles[*profile]
	if !ok {
		log.Fatalf("unknown profile %s", *profile)
	}
	kl, err := os.Create(*out + ".keylog")
	check(err)
	defer kl.Close()
	webrtc.DTLSKeyLogWriter = &lockedWriter{w: kl}

	se := webrtc.SettingEngine{}
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetIncludeLoopbackCandidate(true)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetSRTPProtectionProfiles(prof)
	m := &webrtc.MediaEngine{}
	check(m.RegisterDefaultCodecs())
	ir := &interceptor.Registry{}
	check(webrtc.RegisterDefaultInterceptors(m, ir))
	api := webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir))

	offerer, answerer := newPC(api, "offerer"), newPC(api, "answerer")
	ov, oa := addTracks(offerer, "offerer")
	av, aa := addTracks(answerer, "answerer")
	var wg sync.WaitGroup
	wg.Add(2)
	for _, pc := range []*webrtc.PeerConnection{offerer, answerer} {
		var once sync.Once
		pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
			if s == webrtc.PeerConnectionStateConnected {
				once.Do(wg.Done)
			}
		})
	}

	offer, err := offerer.CreateOffer(nil)
	check(err)
	g := webrtc.GatheringCompletePromise(offerer)
	check(offerer.SetLocalDescription(offer))
	<-g
	check(answerer.SetRemoteDescription(*offerer.LocalDescription()))
	answer, err := answerer.CreateAnswer(nil)
	check(err)
	g = webrtc.GatheringCompletePromise(answerer)
	check(answerer.SetLocalDescription(answer))
	<-g
	check(offerer.SetRemoteDescription(*answerer.LocalDescription()))

	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		log.Fatal("call did not connect")
	}
	until := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	var sw sync.WaitGroup
	for _, f := range []func(){
		func() { sendVideo(*ivf, ov, until) }, func() { sendAudio(*ogg, oa, until) },
		func() { sendVideo(*ivf, av, until) }, func() { sendAudio(*ogg, aa, until) },
	} {
		sw.Add(1)
		go func(f func()) { defer sw.Done(); f() }(f)
	}
	sw.Wait()
	time.Sleep(300 * time.Millisecond)
	check(os.WriteFile(*out+".offer.sdp", []byte(offerer.LocalDescription().SDP), 0o644))
	check(os.WriteFile(*out+".answer.sdp", []byte(answerer.LocalDescription().SDP), 0o644))
	check(offerer.Close())
	check(answerer.Close())
	fmt.Println("wrote", *out)
}
