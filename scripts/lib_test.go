package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/trygg/trygg/internal/config"
)

// libCopy copies lib.sh and what it sources into a fresh repository-shaped
// folder, so that repo_root (and so bin/) is that folder.
func libCopy(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "scripts"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"lib.sh", "lib-postgis.sh"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "scripts", name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// devSecret runs ensure_dev_hash_secret in root with the given environment
// and returns the TRYGG_HASH_SECRET it exported.
func devSecret(t *testing.T, root string, env ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("bash", "-c", `set -euo pipefail; source scripts/lib.sh; ensure_dev_hash_secret; printf '%s' "$TRYGG_HASH_SECRET"`)
	cmd.Dir = root
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + root, "NO_COLOR=1"}, env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Logf("stderr: %s", stderr.String())
	}
	return string(out), err
}

func TestDevHashSecretIsMadeOnceAndKept(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is needed: scripts/lib.sh is a bash library, and every script runs on it")
	}
	root := libCopy(t)
	first, err := devSecret(t, root)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(first) {
		t.Fatalf("secret %q, want 64 hex digits", first)
	}
	file := filepath.Join(root, "bin", "dev-hash-secret")
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", file, info.Mode().Perm())
	}
	if b, _ := os.ReadFile(file); string(b) != first {
		t.Errorf("file holds %q, exported %q", b, first)
	}
	// The service accepts it.
	if _, err := config.FromEnv(func(k string) string {
		if k == "TRYGG_HASH_SECRET" {
			return first
		}
		return ""
	}); err != nil {
		t.Errorf("config refuses the generated secret: %v", err)
	}

	// A restart reads the same secret.
	if again, err := devSecret(t, root); err != nil || again != first {
		t.Errorf("second run: %q, %v; want the first secret %q", again, err, first)
	}
	// Another checkout gets its own.
	if other, err := devSecret(t, libCopy(t)); err != nil || other == first {
		t.Errorf("another checkout: %q, %v", other, err)
	}

	// A secret in the environment wins and the file stays as it is.
	if got, err := devSecret(t, root, "TRYGG_HASH_SECRET=set-by-the-operator-0123"); err != nil || got != "set-by-the-operator-0123" {
		t.Errorf("environment secret: %q, %v", got, err)
	}
	if b, _ := os.ReadFile(file); string(b) != first {
		t.Errorf("the environment's secret changed the file: %q", b)
	}

	// A damaged file is refused rather than used.
	if err := os.WriteFile(file, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := devSecret(t, root); err == nil {
		t.Errorf("a 5-character secret was exported: %q", got)
	}
}
