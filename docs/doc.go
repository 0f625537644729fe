// Package docs holds the repository's design and operating documents, in
// Markdown, and the tests that keep them honest: every setting a service
// or a tool reads is in configuration.md, nothing stale is, and no file of
// the repository points at anything outside it.
package docs
