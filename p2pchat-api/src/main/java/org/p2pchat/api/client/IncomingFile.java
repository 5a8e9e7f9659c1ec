package org.p2pchat.api.client;

import java.nio.file.Path;

/**
 * A file a contact's device offers to this one ({@link ChatListener#onFileOffered}): accept it
 * into a directory, or refuse it. An offer neither accepted nor refused within 5 minutes is
 * refused. Thread-safe; the first answer counts.
 */
public interface IncomingFile {

  /** {@return what is offered} */
  FileTransfer transfer();

  /**
   * Takes the file: it is written to {@code directory} under its offered name (made safe, and
   * never over an existing file: {@code name (1).ext} and so on), checked against its SHA-256,
   * and reported by {@link ChatListener#onFileReceived}. A transfer broken off (the path died,
   * the session was lost) resumes where it stopped when the two devices meet again.
   *
   * @param directory where to put it; it must exist
   */
  void accept(Path directory);

  /** Declines the file; the sender's {@link PeerClient#sendFile} fails. */
  void refuse();
}
