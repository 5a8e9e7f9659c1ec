package org.p2pchat.benchmarks;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * The logical SEND message as protobuf-java reads and writes it, for the codec baseline. Written
 * by hand because protoc is not a plain Maven dependency: the methods are what protoc generates
 * for
 *
 * <pre>
 * message Send {
 *   uint64 request_id = 1;
 *   fixed64 token_hi = 2;
 *   fixed64 token_lo = 3;
 *   string recipient = 4;
 *   string body = 5;
 * }
 * </pre>
 *
 * <p>(field writes in number order through {@link CodedOutputStream}, a tag-switch parse loop
 * through {@link CodedInputStream}, a new message object per parse), without the generated
 * class's reflection and descriptor machinery, which only makes protobuf slower. Immutable.
 */
final class SendProto {
  private static final int REQUEST_ID = 1;
  private static final int TOKEN_HI = 2;
  private static final int TOKEN_LO = 3;
  private static final int RECIPIENT = 4;
  private static final int BODY = 5;

  final long requestId;
  final long tokenHi;
  final long tokenLo;
  final String recipient;
  final String body;

  SendProto(long requestId, long tokenHi, long tokenLo, String recipient, String body) {
    this.requestId = requestId;
    this.tokenHi = tokenHi;
    this.tokenLo = tokenLo;
    this.recipient = recipient;
    this.body = body;
  }

  /** The encoded size in bytes, as generated code's {@code getSerializedSize}. */
  int serializedSize() {
    return CodedOutputStream.computeUInt64Size(REQUEST_ID, requestId)
        + CodedOutputStream.computeFixed64Size(TOKEN_HI, tokenHi)
        + CodedOutputStream.computeFixed64Size(TOKEN_LO, tokenLo)
        + CodedOutputStream.computeStringSize(RECIPIENT, recipient)
        + CodedOutputStream.computeStringSize(BODY, body);
  }

  /** Writes the message into {@code dst} from offset 0; returns the number of bytes written. */
  int writeTo(byte[] dst) throws IOException {
    CodedOutputStream out = CodedOutputStream.newInstance(dst);
    out.writeUInt64(REQUEST_ID, requestId);
    out.writeFixed64(TOKEN_HI, tokenHi);
    out.writeFixed64(TOKEN_LO, tokenLo);
    out.writeString(RECIPIENT, recipient);
    out.writeString(BODY, body);
    return dst.length - out.spaceLeft();
  }

  /** Parses bytes {@code [0, length)} of {@code src}, as generated code's {@code parseFrom}. */
  static SendProto parse(byte[] src, int length) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(src, 0, length);
    long requestId = 0;
    long tokenHi = 0;
    long tokenLo = 0;
    String recipient = "";
    String body = "";
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case REQUEST_ID: requestId = in.readUInt64(); break;
        case TOKEN_HI: tokenHi = in.readFixed64(); break;
        case TOKEN_LO: tokenLo = in.readFixed64(); break;
        case RECIPIENT: recipient = in.readStringRequireUtf8(); break;
        case BODY: body = in.readStringRequireUtf8(); break;
        default:
          if (!in.skipField(tag)) {
            return new SendProto(requestId, tokenHi, tokenLo, recipient, body);
          }
      }
    }
    return new SendProto(requestId, tokenHi, tokenLo, recipient, body);
  }
}
