# Packer: bbcheck as a shell provisioner of a worker image's build (README
# "CI recipes"). Packer runs inline commands with `sh -e`, hence `|| code=$?`.
# Add these provisioners to your build block after the ones
# that install the worker's software and bbcheck. The reports are
# downloaded before the last provisioner fails the build on a not-ready
# image, so they leave the build either way.
build {
  sources = ["source.qemu.cpython-worker"]

  provisioner "shell" {
    inline = [
      "mkdir -p /tmp/bbcheck-reports",
      "code=0; bbcheck -p worker-image --no-color --format junit --report json:/tmp/bbcheck-reports/bbcheck.json --report text:/tmp/bbcheck-reports/bbcheck.txt > /tmp/bbcheck-reports/bbcheck.xml || code=$?; echo $code > /tmp/bbcheck-reports/exit-code",
    ]
  }

  provisioner "file" {
    direction   = "download"
    source      = "/tmp/bbcheck-reports/"
    destination = "bbcheck-reports/"
  }

  provisioner "shell" {
    inline = ["exit \"$(cat /tmp/bbcheck-reports/exit-code)\""]
  }
}
