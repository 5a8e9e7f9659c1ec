package org.p2pchat.protocol.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.UserName;

/** The server's table of peer links (docs/protocol.md section 25.2): bounded, and ending with its sessions. */
class PeerLinksTest {
  private static final PeerLinks.Offer OFFER = new PeerLinks.Offer(new byte[32], false, List.of());
  private long token;

  private Session session(String user) {
    token++;
    return new Session(token, token, UserName.of(user), new InetSocketAddress("127.0.0.1", 40000), 0);
  }

  @Test
  void aSessionTakesPartInAtMostItsBoundTheOldestGoingFirst() {
    PeerLinks links = new PeerLinks(1000, 3);
    Session alice = session("alice");
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(links.open(alice, session("bob" + i), OFFER).id);
    }
    assertThat(links.size()).isEqualTo(3);
    assertThat(links.find(ids.get(0))).isNull();
    assertThat(links.find(ids.get(1))).isNull();
    assertThat(links.find(ids.get(4))).isNotNull();
  }

  @Test
  void theTableKeepsToItsTotalAndDropsDeadLinksFirst() {
    PeerLinks links = new PeerLinks(4, 16);
    List<Session> ends = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Session a = session("alice" + i);
      ends.add(a);
      ids.add(links.open(a, session("bob" + i), OFFER).id);
    }
    ends.get(2).closed = true;
    long newest = links.open(session("carol"), session("dave"), OFFER).id;
    assertThat(links.size()).isEqualTo(4);
    assertThat(links.find(ids.get(0))).as("the oldest live link stays when a dead one can go").isNotNull();
    assertThat(links.find(ids.get(2))).isNull();
    assertThat(links.find(newest)).isNotNull();
    links.open(session("erin"), session("frank"), OFFER);
    assertThat(links.find(ids.get(0))).as("no dead link left: the oldest goes").isNull();
  }

  @Test
  void aLinkIsTheRelaysPermissionBetweenItsTwoEndsOnly() {
    PeerLinks links = new PeerLinks(10, 10);
    Session alice = session("alice");
    Session bob = session("bob");
    PeerLinks.Link link = links.open(alice, bob, OFFER);
    assertThat(link.id).isPositive();
    assertThat(link.otherEnd(alice)).isSameAs(bob);
    assertThat(link.otherEnd(bob)).isSameAs(alice);
    assertThat(link.otherEnd(session("carol"))).isNull();
    bob.closed = true;
    assertThat(links.find(link.id)).isNull();
    assertThat(links.size()).isZero();
  }
}
