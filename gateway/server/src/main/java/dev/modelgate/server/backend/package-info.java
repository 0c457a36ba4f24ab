/** What answers a revision: {@link dev.modelgate.server.backend.RevisionBackend} and its in-process form. */
package dev.modelgate.server.backend;
