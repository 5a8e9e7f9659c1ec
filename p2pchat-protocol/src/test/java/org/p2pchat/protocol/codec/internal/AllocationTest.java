package org.p2pchat.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.api.ChatMessage;
import org.p2pchat.api.UserName;

/**
 * The encoders and the decoders' {@code wrap} allocate nothing per frame. Measured with the
 * JDK's per-thread allocation counter, reached by reflection because this module does not
 * read the management modules.
 */
class AllocationTest {
  private static final int ROUNDS = 20_000;
  private static final String BODY = "hello w\u00f6rld \u20ac \uD83D\uDE00, a message of some length";

  private static Object threadBean;
  private static Method allocatedBytes;

  @BeforeAll
  static void findAllocationCounter() {
    try {
      threadBean = Class.forName("java.lang.management.ManagementFactory")
          .getMethod("getThreadMXBean").invoke(null);
      allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
          .getMethod("getCurrentThreadAllocatedBytes");
      allocatedBytes.invoke(threadBean);
    } catch (ReflectiveOperationException | RuntimeException e) {
      threadBean = null;
    }
  }

  @FunctionalInterface
  interface Op {
    void run() throws Exception;
  }

  private static double bytesPerOp(Op op) throws Exception {
    assumeTrue(threadBean != null, "this JVM has no per-thread allocation counter");
    op.run(); // first use loads classes
    long before = (long) allocatedBytes.invoke(threadBean);
    for (int i = 0; i < ROUNDS; i++) {
      op.run();
    }
    long after = (long) allocatedBytes.invoke(threadBean);
    return (after - before) / (double) ROUNDS;
  }

  @Test
  void encodersWriteFramesWithoutAllocating() throws Exception {
    ByteBuffer dst = ByteBuffer.allocateDirect(1200);
    long[] ids = {1, 2, 3};
    ChatMessage m = ChatMessage.builder().id(42).sentAt(Instant.ofEpochMilli(5))
        .sender(UserName.of("alice")).recipient(UserName.of("bob")).body(BODY).build();
    HistoryOkEncoder page = new HistoryOkEncoder();

    double perFrame = bytesPerOp(() -> {
      dst.clear();
      SendEncoder.encode(dst, 1, 2, 3, "bob", BODY);
      dst.clear();
      LoginEncoder.encode(dst, 1, "alice", "correct horse");
      dst.clear();
      HistoryEncoder.encode(dst, 1, 2, 3, "bob", true, true, 4, 50);
      dst.clear();
      MarkReadEncoder.encode(dst, 1, 2, 3, ids, 3);
      dst.clear();
      PushMessageEncoder.encode(dst, 1, 42, 5, "alice", BODY);
      dst.clear();
      PushStateEncoder.encode(dst, 1, 42, 3, "bob");
      dst.clear();
      OkEncoder.encodeLogin(dst, 1, 2, 3, 20_000);
      dst.clear();
      ErrorEncoder.encodeUnsupportedVersion(dst, 1);
      dst.clear();
      page.wrap(dst, 1);
      page.tryAdd(m);
      page.tryAdd(m);
      page.nextCursor(9).finish();
    });

    assertThat(perFrame).isLessThan(1.0);
  }

  @Test
  void decodersWrapFramesWithoutAllocating() throws Exception {
    ByteBuffer send = ByteBuffer.allocateDirect(1200);
    SendEncoder.encode(send, 1, 2, 3, "bob", BODY);
    send.flip();
    ByteBuffer history = ByteBuffer.allocateDirect(1200);
    ChatMessage m = ChatMessage.builder().id(42).sentAt(Instant.ofEpochMilli(5))
        .sender(UserName.of("alice")).recipient(UserName.of("bob")).body(BODY).build();
    HistoryOkEncoder page = new HistoryOkEncoder().wrap(history, 1);
    assertThat(page.tryAdd(m)).isTrue();
    page.finish();
    history.flip();
    SendDecoder sendDecoder = new SendDecoder();
    OkDecoder okDecoder = new OkDecoder();

    double perFrame = bytesPerOp(() -> {
      sendDecoder.wrap(send);
      okDecoder.wrap(history);
      FrameHeader.readType(send);
    });

    assertThat(perFrame).isLessThan(1.0);
  }
}
