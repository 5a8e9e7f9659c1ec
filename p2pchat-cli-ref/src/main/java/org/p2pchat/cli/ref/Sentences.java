package org.p2pchat.cli.ref;

import java.io.IOException;
import java.net.BindException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.p2pchat.api.ChatException;

/**
 * Plain sentences for what the JDK reports in its own words: a person reads "the file does not
 * exist", never {@code java.nio.file.NoSuchFileException: /x}, and never the operating system's
 * "Cannot assign requested address". Stateless.
 */
final class Sentences {
  private Sentences() {}

  /** Why a file could not be read, as the end of a sentence ("it does not exist"). */
  static String ofFile(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "it does not exist";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "a part of its path is not a directory";
    }
    if (e instanceof java.nio.charset.CharacterCodingException || e instanceof java.io.CharConversionException) {
      return "it is not UTF-8 text";
    }
    if (e instanceof FileSystemException) {
      String reason = ((FileSystemException) e).getReason();
      if (reason != null && reason.toLowerCase(Locale.ROOT).contains("directory")) {
        return "it is a directory";
      }
      return "the file system refused it";
    }
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("is a directory")) {
      return "it is a directory";
    }
    return "it cannot be read";
  }

  /** Why the network failed, as the end of a sentence ("this machine has no route to it"). */
  static String ofNetwork(IOException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("cannot assign requested address")) {
      return "this machine cannot reach that address (no network interface for it: is the address right?)";
    }
    if (m.contains("network is unreachable") || e instanceof NoRouteToHostException) {
      return "the network is unreachable from this machine";
    }
    if (e instanceof PortUnreachableException) {
      return "nothing listens at that address";
    }
    if (e instanceof BindException || m.contains("address already in use")) {
      return "no local UDP port is free";
    }
    if (m.contains("permission denied") || m.contains("operation not permitted")) {
      return "the system does not allow it (a firewall?)";
    }
    if (m.contains("too many open files")) {
      return "this process has too many open files";
    }
    if (e instanceof SocketException) {
      return "a network error";
    }
    return "an input/output error";
  }

  /**
   * A sentence for any failure an operation ended with: the SDK's own sentence for a
   * {@link ChatException}, a network or file sentence for an {@link IOException}, and for
   * anything else a sentence that says it is a bug, without the exception's text.
   */
  static String of(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof ChatException) {
      return ((ChatException) t).code().sentence();
    }
    if (t instanceof java.io.UncheckedIOException) {
      t = t.getCause();
    }
    if (t instanceof IOException) {
      return ofNetwork((IOException) t);
    }
    if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
      return "the client refused it (" + plain(t.getMessage()) + ")";
    }
    return "the client failed unexpectedly (a bug in p2pchat: please report it)";
  }

  /** The failure inside {@link CompletionException} and {@link ExecutionException} wrappers. */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** An exception message with anything that looks like a Java class name taken out. */
  static String plain(String message) {
    if (message == null || message.isBlank()) {
      return "no reason given";
    }
    return message.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*(?:Exception|Error)?:?\\s*", "").strip();
  }
}
