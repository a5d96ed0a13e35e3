// Package s3test starts a real, throwaway S3-compatible server on loopback
// for a test: the Versity S3 Gateway (versitygw, Apache 2.0) over a
// directory, which scripts/test builds from the Go module proxy.
package s3test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The gateway's root credentials. Start puts them in the process's AWS
// environment, where the S3 clients of the code under test find them; every
// gateway a test starts has the same.
const (
	AccessKey = "shopfloor-test"
	SecretKey = "shopfloor-test-secret"
	Region    = "us-east-1"
)

// Server is a running gateway with one bucket.
type Server struct {
	Endpoint string // http://127.0.0.1:PORT
	Bucket   string
	// Root is the directory the gateway keeps its buckets in: an object
	// KEY of Bucket is the file Root/Bucket/KEY.
	Root string
}

// BlobURL is the --blob-url of the server's bucket.
func (s *Server) BlobURL() string {
	return fmt.Sprintf("s3://%s?endpoint=%s&region=%s&use_path_style=true", s.Bucket, s.Endpoint, Region)
}

// Start runs versitygw until the test ends, with an empty bucket. It fails
// the test, saying how to install it, when the binary is missing.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin, err := binary()
	if err != nil {
		tb.Fatal(err)
	}
	os.Setenv("AWS_ACCESS_KEY_ID", AccessKey)
	os.Setenv("AWS_SECRET_ACCESS_KEY", SecretKey)
	os.Setenv("AWS_REGION", Region)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := tb.TempDir()
	root, sidecar := filepath.Join(dir, "root"), filepath.Join(dir, "meta")
	for _, d := range []string{root, sidecar} {
		if err := os.Mkdir(d, 0o700); err != nil {
			tb.Fatal(err)
		}
	}
	cmd := exec.Command(bin, "--access", AccessKey, "--secret", SecretKey, "--region", Region, "--port", addr, "--quiet",
		"posix", "--sidecar", sidecar, root)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	s := &Server{Endpoint: "http://" + addr, Bucket: "shopfloor", Root: root}
	client := s3.New(s3.Options{Region: Region, BaseEndpoint: aws.String(s.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(AccessKey, SecretKey, "")})
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(s.Bucket)})
		if err == nil {
			return s
		}
		if time.Now().After(deadline) {
			tb.Fatalf("versitygw did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// binary finds versitygw: $SHOPFLOOR_VERSITYGW, then PATH, then the cache
// scripts/test builds Version into.
func binary() (string, error) {
	if p := os.Getenv("SHOPFLOOR_VERSITYGW"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	if home, err := os.UserHomeDir(); err == nil {
		p := filepath.Join(home, ".cache", "shopfloor-test", "versitygw@"+Version, "versitygw")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("versitygw not found (scripts/test builds it: GOBIN=$HOME/.cache/shopfloor-test/versitygw@" + Version + " go install github.com/versity/versitygw/cmd/versitygw@" + Version + ")")
}

// Version is the versitygw release scripts/test builds.
const Version = "v1.8.0"
