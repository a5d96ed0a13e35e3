package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// The self-signed certificate and its key, in the data directory.
const (
	TLSCertFile = "tls-cert.pem"
	TLSKeyFile  = "tls-key.pem"
)

// tlsFiles returns the certificate and key files serve uses for HTTPS, or
// "" for plain HTTP: the operator's (--tls-cert, --tls-key), else with
// --tls the data directory's self-signed pair, created on first use.
func (f *serveFlags) tlsFiles() (certFile, keyFile string, err error) {
	switch {
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return "", "", errors.New("serve: --tls-cert and --tls-key go together")
	case f.tlsCert != "":
		return f.tlsCert, f.tlsKey, nil
	case f.tls:
		return selfSigned(f.data)
	}
	return "", "", nil
}

// selfSigned returns the self-signed certificate for localhost, 127.0.0.1
// and ::1 in dir and its key (mode 0600), creating them when either is
// missing; clients trust the certificate file itself.
func selfSigned(dir string) (certFile, keyFile string, err error) {
	certFile, keyFile = filepath.Join(dir, TLSCertFile), filepath.Join(dir, TLSKeyFile)
	_, certErr := os.Stat(certFile)
	_, keyErr := os.Stat(keyFile)
	if certErr == nil && keyErr == nil {
		return certFile, keyFile, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return "", "", err
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "Shopfloor on localhost", Organization: []string{"Shopfloor (self-signed)"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(5, 0, 0),
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true, // its own trust anchor, as REQUESTS_CA_BUNDLE wants
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", err
	}
	os.Remove(keyFile) // a key left behind keeps its mode otherwise
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return "", "", fmt.Errorf("serve: %w", err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return "", "", fmt.Errorf("serve: %w", err)
	}
	return certFile, keyFile, nil
}
