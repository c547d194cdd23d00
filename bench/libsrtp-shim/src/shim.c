/* Session set-up for the libsrtp benchmark peer: builds the srtp_policy_t in C, so the Rust
 * side only calls functions whose arguments are pointers and integers. */
#include <string.h>
#include <srtp2/srtp.h>

/* profile: 1 = AES_CM_128_HMAC_SHA1_80, 7 = AEAD_AES_128_GCM (the DTLS-SRTP ids).
 * inbound: 0 for ssrc_any_outbound, 1 for ssrc_any_inbound.
 * key: master key || master salt (30 bytes for AES-CM, 28 for GCM). */
int webrtc_wire_srtp_create(srtp_t *session, int profile, int inbound,
                            const unsigned char *key, unsigned long window_size) {
    srtp_policy_t policy;
    memset(&policy, 0, sizeof policy);
    switch (profile) {
    case 1:
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
        srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
        break;
    case 7:
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
        srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
        break;
    default:
        return srtp_err_status_bad_param;
    }
    policy.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
    policy.key = (unsigned char *)key;
    policy.window_size = window_size;
    policy.allow_repeat_tx = 0;
    policy.next = NULL;
    return srtp_create(session, &policy);
}

/* SRTP_MAX_TRAILER_LEN: what srtp_protect may write past the packet (srtp_protect_rtcp: 4
 * more). */
unsigned long webrtc_wire_srtp_max_trailer_len(void) { return SRTP_MAX_TRAILER_LEN; }
