package org.p2pchat.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.p2pchat.api.codec.DecodeException;
import org.p2pchat.protocol.codec.internal.SendFlyweight;

/**
 * One SEND frame with a 100-byte body, encoded and then decoded, against baselines carrying the
 * same logical message in the same run: protobuf-java ({@link SendProto}), Jackson JSON
 * ({@link SendJson}), and a plain {@link ByteBuffer} copy of the encoded frame (the floor).
 *
 * <p>Two decodes of the flyweight: {@code inPlace} validates the whole frame (including the
 * body's UTF-8) and reads the fixed fields, leaving the strings in the buffer as the flyweight
 * design intends; {@code toStrings} also materialises recipient and body as {@code String}s,
 * which is what the baselines always do.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SendCodecBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SendCodecBenchmark {
  static final long REQUEST_ID = 0x1234_5678L;
  static final long TOKEN_HI = 0x0123_4567_89ab_cdefL;
  static final long TOKEN_LO = 0xfedc_ba98_7654_3210L;
  static final String RECIPIENT = "recipient1";
  /** 100 bytes of ASCII: one byte per character in every format. */
  static final String BODY = "The quick brown fox jumps over the lazy dog, then naps in the sun "
      + "until the farmer comes home at six";

  private final ByteBuffer frame = ByteBuffer.allocate(1500);
  private final ByteBuffer copySource = ByteBuffer.allocate(1500);
  private final ByteBuffer copyTarget = ByteBuffer.allocate(1500);
  private final SendFlyweight encoder = new SendFlyweight();
  private final SendFlyweight decoder = new SendFlyweight();
  private int frameLength;

  private final byte[] protoBuffer = new byte[1500];
  private SendProto proto;

  private ObjectWriter jsonWriter;
  private ObjectReader jsonReader;
  private SendJson json;

  /** Encodes the frame once for the copy floor and prepares the baselines' messages. */
  @Setup
  public void setUp() {
    if (BODY.length() != 100) {
      throw new IllegalStateException("the body must be 100 bytes, not " + BODY.length());
    }
    frameLength = encoder.encode(copySource, REQUEST_ID).token(TOKEN_HI, TOKEN_LO).recipient(RECIPIENT)
        .body(BODY).finish();
    copySource.flip();
    proto = new SendProto(REQUEST_ID, TOKEN_HI, TOKEN_LO, RECIPIENT, BODY);
    ObjectMapper mapper = new ObjectMapper();
    jsonWriter = mapper.writerFor(SendJson.class);
    jsonReader = mapper.readerFor(SendJson.class);
    json = new SendJson(REQUEST_ID, TOKEN_HI, TOKEN_LO, RECIPIENT, BODY);
  }

  /** The floor: copying the encoded frame's bytes from one buffer into another. */
  @Benchmark
  public ByteBuffer copyFloor() {
    copySource.position(0).limit(frameLength);
    copyTarget.clear();
    return copyTarget.put(copySource);
  }

  /** Encode, then decode in place: validate the frame and read its fixed fields. */
  @Benchmark
  public void flyweightInPlace(Blackhole bh) throws DecodeException {
    encodeFrame();
    decoder.wrap(frame);
    bh.consume(decoder.requestId());
    bh.consume(decoder.tokenHi());
    bh.consume(decoder.tokenLo());
  }

  /** Encode, then decode every field, strings included. */
  @Benchmark
  public void flyweightToStrings(Blackhole bh) throws DecodeException {
    encodeFrame();
    decoder.wrap(frame);
    bh.consume(decoder.requestId());
    bh.consume(decoder.tokenHi());
    bh.consume(decoder.tokenLo());
    bh.consume(decoder.recipient());
    bh.consume(decoder.body());
  }

  /** Only the encode, for the split of the round trip. */
  @Benchmark
  public ByteBuffer flyweightEncodeOnly() {
    encodeFrame();
    return frame;
  }

  /** protobuf-java: write into a reused array, parse into a new message. */
  @Benchmark
  public SendProto protobuf() throws IOException {
    int n = proto.writeTo(protoBuffer);
    return SendProto.parse(protoBuffer, n);
  }

  /** Jackson: write to bytes, read into a new record. */
  @Benchmark
  public SendJson jackson() throws IOException {
    byte[] bytes = jsonWriter.writeValueAsBytes(json);
    return jsonReader.readValue(bytes);
  }

  private void encodeFrame() {
    frame.clear();
    encoder.encode(frame, REQUEST_ID).token(TOKEN_HI, TOKEN_LO).recipient(RECIPIENT).body(BODY).finish();
    frame.flip();
  }
}
