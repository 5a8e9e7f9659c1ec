package org.p2pchat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.transport.Transport;

/** A poll hands over at most one batch, and what it leaves stays queued for the next poll. */
class InMemoryNetworkBatchTest {
  @Test
  void everyQueuedDatagramIsDeliveredAcrossBatchBoundaries() throws Exception {
    InMemoryNetwork network = new InMemoryNetwork();
    Transport sender = network.bindLoopback();
    Transport receiver = network.bindLoopback();
    for (int i = 0; i < 1000; i++) {
      sender.send(ByteBuffer.allocate(4).putInt(0, i), receiver.localAddress());
    }

    List<Integer> received = new ArrayList<>();
    int handled;
    do {
      handled = receiver.poll((datagram, from) -> received.add(datagram.getInt(datagram.position())), 100);
      assertThat(handled).as("datagrams of one poll").isLessThanOrEqualTo(256);
    } while (handled > 0 && received.size() < 1000);

    // Found by ResourceBoundsTest: the 257th datagram of a full batch was taken and dropped.
    assertThat(received).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      assertThat(received.get(i)).isEqualTo(i);
    }
  }
}
