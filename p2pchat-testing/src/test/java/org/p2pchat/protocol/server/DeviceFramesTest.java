package org.p2pchat.protocol.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.protocol.ServerConfig;
import org.p2pchat.protocol.codec.Frame;

/** The device frames of docs/protocol.md section 17 against the real server engine, frame by frame. */
class DeviceFramesTest {
  private static final ServerConfig CONFIG = ServerConfig.builder()
      .argon2MemoryKib(64).argon2Iterations(1).keepaliveInterval(Duration.ofSeconds(20)).build();

  private final EmbeddedHarness h = new EmbeddedHarness(CONFIG, "alice", "bob");

  @AfterEach
  void stop() {
    h.close();
  }

  private Frame.OkDeviceLogin loginDevice(EmbeddedHarness.Peer p, String device) {
    long id = p.nextId();
    Frame f = p.exchangeLast(new Frame.LoginDevice(id, "alice", EmbeddedHarness.PASSWORD, device), id).frame();
    assertThat(f).isInstanceOf(Frame.OkDeviceLogin.class);
    Frame.OkDeviceLogin ok = (Frame.OkDeviceLogin) f;
    p.tokenHi = ok.tokenHi();
    p.tokenLo = ok.tokenLo();
    return ok;
  }

  private Frame resume(EmbeddedHarness.Peer p, long device, byte[] secret) {
    long id = p.nextId();
    Frame f = p.exchangeLast(new Frame.Resume(id, device, secret), id).frame();
    if (f instanceof Frame.OkResume ok) {
      p.tokenHi = ok.tokenHi();
      p.tokenLo = ok.tokenLo();
    }
    return f;
  }

  private static int code(Frame f) {
    return f instanceof Frame.Error e ? e.errorCode() : 0;
  }

  @Test
  void aDeviceLoginGivesA256BitCredentialThatResumesWithoutThePassword() {
    EmbeddedHarness.Peer phone = h.peer(1);
    Frame.OkDeviceLogin ok = loginDevice(phone, "phone");
    assertThat(ok.secret()).hasSize(32);
    assertThat(ok.deviceId()).isPositive();

    EmbeddedHarness.Peer later = h.peer(2);
    assertThat(resume(later, ok.deviceId(), ok.secret())).isInstanceOf(Frame.OkResume.class);
    assertThat(EmbeddedHarness.Peer.pingedOk(later.ping())).isTrue();
    assertThat(later.sendMessage("bob", "resumed").isOk()).isTrue();
  }

  @Test
  void aWrongOrUnknownCredentialIsRefusedAlike() {
    Frame.OkDeviceLogin ok = loginDevice(h.peer(1), "phone");
    byte[] wrong = ok.secret();
    wrong[0] ^= 1;
    assertThat(code(resume(h.peer(2), ok.deviceId(), wrong))).isEqualTo(ErrorCode.CREDENTIAL_REVOKED.code());
    assertThat(code(resume(h.peer(3), ok.deviceId() + 100, ok.secret())))
        .isEqualTo(ErrorCode.CREDENTIAL_REVOKED.code());
  }

  @Test
  void devicesAreListedAndARevokedOneCannotResumeWhileTheOthersCan() {
    EmbeddedHarness.Peer phonePeer = h.peer(1);
    Frame.OkDeviceLogin phone = loginDevice(phonePeer, "phone");
    EmbeddedHarness.Peer laptopPeer = h.peer(2);
    Frame.OkDeviceLogin laptop = loginDevice(laptopPeer, "laptop");

    long id = laptopPeer.nextId();
    Frame listed = laptopPeer.exchangeLast(new Frame.Devices(id, laptopPeer.tokenHi, laptopPeer.tokenLo), id).frame();
    assertThat(listed).isInstanceOf(Frame.OkDevices.class);
    List<Frame.DeviceEntry> devices = ((Frame.OkDevices) listed).devices();
    assertThat(devices).extracting(Frame.DeviceEntry::name).containsExactly("phone", "laptop");
    assertThat(devices).extracting(Frame.DeviceEntry::current).containsExactly(false, true);

    id = laptopPeer.nextId();
    assertThat(laptopPeer.exchangeLast(new Frame.RevokeDevice(id, laptopPeer.tokenHi, laptopPeer.tokenLo,
        phone.deviceId()), id).frame()).isEqualTo(new Frame.OkEmpty(id, 0x0c));
    // the phone's session ended at once, and its credential is gone
    assertThat(EmbeddedHarness.Peer.pingedOk(phonePeer.ping())).isFalse();
    assertThat(code(resume(h.peer(3), phone.deviceId(), phone.secret())))
        .isEqualTo(ErrorCode.CREDENTIAL_REVOKED.code());
    assertThat(resume(h.peer(4), laptop.deviceId(), laptop.secret())).isInstanceOf(Frame.OkResume.class);

    id = laptopPeer.nextId();
    assertThat(code(laptopPeer.exchangeLast(new Frame.RevokeDevice(id, laptopPeer.tokenHi, laptopPeer.tokenLo,
        phone.deviceId()), id).frame())).isEqualTo(ErrorCode.UNKNOWN_DEVICE.code());
  }

  @Test
  void logOutEverywhereRevokesEveryDeviceButKeepsTheAskingSession() {
    Frame.OkDeviceLogin phone = loginDevice(h.peer(1), "phone");
    EmbeddedHarness.Peer laptopPeer = h.peer(2);
    Frame.OkDeviceLogin laptop = loginDevice(laptopPeer, "laptop");
    long id = laptopPeer.nextId();
    assertThat(laptopPeer.exchangeLast(new Frame.RevokeDevice(id, laptopPeer.tokenHi, laptopPeer.tokenLo, 0), id)
        .frame()).isEqualTo(new Frame.OkEmpty(id, 0x0c));
    assertThat(code(resume(h.peer(3), phone.deviceId(), phone.secret()))).isEqualTo(13);
    assertThat(code(resume(h.peer(4), laptop.deviceId(), laptop.secret()))).isEqualTo(13);
    assertThat(EmbeddedHarness.Peer.pingedOk(laptopPeer.ping())).isTrue();
  }

  @Test
  void aLoginWithTheSameDeviceNameReplacesTheOldCredential() {
    Frame.OkDeviceLogin first = loginDevice(h.peer(1), "phone");
    Frame.OkDeviceLogin second = loginDevice(h.peer(2), "phone");
    assertThat(second.deviceId()).isNotEqualTo(first.deviceId());
    assertThat(Arrays.equals(first.secret(), second.secret())).isFalse();
    assertThat(code(resume(h.peer(3), first.deviceId(), first.secret()))).isEqualTo(13);
    assertThat(resume(h.peer(4), second.deviceId(), second.secret())).isInstanceOf(Frame.OkResume.class);
  }

  @Test
  void aKeyedSendResentInANewSessionReturnsTheMessageStoredTheFirstTime() {
    EmbeddedHarness.Peer p = h.peer(1);
    Frame.OkDeviceLogin cred = loginDevice(p, "phone");
    long id = p.nextId();
    Frame first = p.exchangeLast(new Frame.SendKeyed(id, p.tokenHi, p.tokenLo, 77, "bob", "once"), id).frame();
    assertThat(first).isInstanceOf(Frame.OkSendKeyed.class);

    EmbeddedHarness.Peer again = h.peer(2);
    resume(again, cred.deviceId(), cred.secret());
    long id2 = again.nextId();
    Frame second = again.exchangeLast(new Frame.SendKeyed(id2, again.tokenHi, again.tokenLo, 77, "bob", "once"), id2)
        .frame();
    assertThat(((Frame.OkSendKeyed) second).messageId()).isEqualTo(((Frame.OkSendKeyed) first).messageId());
    long id3 = again.nextId();
    Frame other = again.exchangeLast(new Frame.SendKeyed(id3, again.tokenHi, again.tokenLo, 78, "bob", "twice"), id3)
        .frame();
    assertThat(((Frame.OkSendKeyed) other).messageId()).isGreaterThan(((Frame.OkSendKeyed) first).messageId());
  }

  @Test
  void aUserKeepsAtMostTenDevices() {
    Frame.OkDeviceLogin oldest = loginDevice(h.peer(1), "device-0");
    h.server.advanceTimeBy(Duration.ofSeconds(1));
    for (int i = 1; i <= 10; i++) {
      loginDevice(h.peer(1 + i), "device-" + i);
      h.server.advanceTimeBy(Duration.ofSeconds(1));
    }
    assertThat(code(resume(h.peer(50), oldest.deviceId(), oldest.secret()))).isEqualTo(13);
  }
}
