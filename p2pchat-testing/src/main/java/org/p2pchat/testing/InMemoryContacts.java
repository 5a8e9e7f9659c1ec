package org.p2pchat.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.api.ChatException;
import org.p2pchat.api.ContactLimits;
import org.p2pchat.api.ErrorCode;
import org.p2pchat.api.UserName;
import org.p2pchat.api.store.ContactStore;

/** The contact and block lists of an {@link InMemoryChatStore}, under its lock. */
final class InMemoryContacts implements ContactStore {
  private final InMemoryChatStore store;
  private final Map<UserName, TreeSet<String>> contacts = new HashMap<>();
  private final Map<UserName, TreeSet<String>> blocks = new HashMap<>();
  private final java.util.Set<UserName> hidden = new java.util.HashSet<>();

  InMemoryContacts(InMemoryChatStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> addContact(UserName owner, UserName contact) {
    return store.run(() -> add(contacts, owner, contact, ContactLimits.MAX_CONTACTS, ErrorCode.TOO_MANY_CONTACTS));
  }

  @Override
  public CompletableFuture<Void> removeContact(UserName owner, UserName contact) {
    return store.run(() -> remove(contacts, owner, contact));
  }

  @Override
  public CompletableFuture<List<StoredContact>> contacts(UserName owner) {
    return store.run(() -> {
      List<StoredContact> list = new ArrayList<>();
      for (String c : contacts.getOrDefault(owner, new TreeSet<>())) {
        UserName other = UserName.of(c);
        boolean mutual = has(contacts, other, owner) && !has(blocks, other, owner) && !has(blocks, owner, other);
        list.add(new StoredContact(other, mutual));
      }
      return list;
    });
  }

  @Override
  public CompletableFuture<Void> block(UserName owner, UserName blocked) {
    return store.run(() -> add(blocks, owner, blocked, ContactLimits.MAX_BLOCKS, ErrorCode.TOO_MANY_BLOCKS));
  }

  @Override
  public CompletableFuture<Void> unblock(UserName owner, UserName blocked) {
    return store.run(() -> remove(blocks, owner, blocked));
  }

  @Override
  public CompletableFuture<List<UserName>> blocked(UserName owner) {
    return store.run(() -> blocks.getOrDefault(owner, new TreeSet<>()).stream().map(UserName::of).toList());
  }

  @Override
  public CompletableFuture<Boolean> isBlocked(UserName owner, UserName other) {
    return store.run(() -> has(blocks, owner, other));
  }

  @Override
  public CompletableFuture<Void> hidePresence(UserName user, boolean hide) {
    return store.run(() -> {
      if (!store.hasUser(user)) {
        throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
      }
      if (hide) {
        hidden.add(user);
      } else {
        hidden.remove(user);
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<Boolean> presenceHidden(UserName user) {
    return store.run(() -> hidden.contains(user));
  }

  @Override
  public CompletableFuture<java.util.Set<UserName>> contactsHidingPresence(UserName owner) {
    return store.run(() -> {
      java.util.Set<UserName> found = new java.util.TreeSet<>();
      for (String c : contacts.getOrDefault(owner, new TreeSet<>())) {
        if (hidden.contains(UserName.of(c))) {
          found.add(UserName.of(c));
        }
      }
      return found;
    });
  }

  /** Whether {@code owner} blocks {@code other}; under the store's lock. */
  boolean blocks(UserName owner, UserName other) {
    return has(blocks, owner, other);
  }

  private Void add(Map<UserName, TreeSet<String>> lists, UserName owner, UserName other, int max, ErrorCode full) {
    if (!store.hasUser(owner) || !store.hasUser(other) || owner.equals(other)) {
      throw new ChatException(ErrorCode.UNKNOWN_RECIPIENT);
    }
    TreeSet<String> list = lists.computeIfAbsent(owner, k -> new TreeSet<>());
    if (!list.contains(other.value()) && list.size() >= max) {
      throw new ChatException(full);
    }
    list.add(other.value());
    return null;
  }

  private static Void remove(Map<UserName, TreeSet<String>> lists, UserName owner, UserName other) {
    TreeSet<String> list = lists.get(owner);
    if (list != null) {
      list.remove(other.value());
    }
    return null;
  }

  private static boolean has(Map<UserName, TreeSet<String>> lists, UserName owner, UserName other) {
    TreeSet<String> list = lists.get(owner);
    return list != null && list.contains(other.value());
  }

  /** Removes every row that names {@code user}, both ways, and their hiding; under the store's lock. */
  void dropUser(UserName user) {
    hidden.remove(user);
    contacts.remove(user);
    blocks.remove(user);
    contacts.values().forEach(list -> list.remove(user.value()));
    blocks.values().forEach(list -> list.remove(user.value()));
  }
}
