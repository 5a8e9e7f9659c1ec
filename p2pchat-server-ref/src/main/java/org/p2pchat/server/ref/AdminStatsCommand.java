package org.p2pchat.server.ref;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.p2pchat.api.store.StoreStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code admin stats}: accounts, messages, sizes. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Show how many accounts, messages and room messages the store holds, and its size.")
final class AdminStatsCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;

  @Override
  public Integer call() throws StartupException {
    StoreStats stats = admin.withStore(s -> AdminCommand.await(s.admin().stats()));
    admin.out().println("database       " + admin.target() + (admin.isPostgres() ? " (PostgreSQL)" : ""));
    admin.out().println("users          " + stats.users());
    admin.out().println("messages       " + stats.messages());
    admin.out().println("room messages  " + stats.roomMessages());
    if (admin.isPostgres()) {
      admin.out().println("size           " + stats.bytes() + " bytes (the store's tables and indexes)");
    } else {
      Path db = admin.databaseFile();
      admin.out().println("size           " + stats.bytes() + " bytes in pages; on disk " + size(db) + " bytes + "
          + size(db.resolveSibling(db.getFileName() + "-wal")) + " bytes of WAL");
    }
    admin.out().flush();
    return 0;
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return -1;
    }
  }
}
