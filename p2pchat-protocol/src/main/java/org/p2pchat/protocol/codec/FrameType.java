package org.p2pchat.protocol.codec;

/**
 * The frame types of protocol v1 (byte 3 of the header). Requests from client to server are
 * below 0x80; frames from server to client are 0x80 and above.
 */
public final class FrameType {
  /** Create an account. */
  public static final int REGISTER = 0x01;
  /** Open a session. */
  public static final int LOGIN = 0x02;
  /** End a session. */
  public static final int LOGOUT = 0x03;
  /** Send a message to a user. */
  public static final int SEND = 0x04;
  /** Read a page of history. */
  public static final int HISTORY = 0x05;
  /** Keep a session (and the NAT binding) alive. */
  public static final int PING = 0x06;
  /** Mark messages read. */
  public static final int MARK_READ = 0x07;
  /** Acknowledge a push (PUSH_MESSAGE or PUSH_STATE); never answered. */
  public static final int PUSH_ACK = 0x08;
  /** The success answer to a request. */
  public static final int OK = 0x80;
  /** The failure answer to a request. */
  public static final int ERROR = 0x81;
  /** The server pushes a new message to a recipient's session. */
  public static final int PUSH_MESSAGE = 0x82;
  /** The server tells a sender's session that a message was delivered or read. */
  public static final int PUSH_STATE = 0x83;

  private FrameType() {}

  /** Whether {@code type} is a frame type of protocol v1. */
  public static boolean isKnown(int type) {
    return (type >= REGISTER && type <= PUSH_ACK) || (type >= OK && type <= PUSH_STATE);
  }

  /** The frame type's name, for logs; {@code "0x.."} for unknown types. */
  public static String name(int type) {
    switch (type) {
      case REGISTER: return "REGISTER";
      case LOGIN: return "LOGIN";
      case LOGOUT: return "LOGOUT";
      case SEND: return "SEND";
      case HISTORY: return "HISTORY";
      case PING: return "PING";
      case MARK_READ: return "MARK_READ";
      case PUSH_ACK: return "PUSH_ACK";
      case OK: return "OK";
      case ERROR: return "ERROR";
      case PUSH_MESSAGE: return "PUSH_MESSAGE";
      case PUSH_STATE: return "PUSH_STATE";
      default: return String.format("0x%02x", type);
    }
  }
}
