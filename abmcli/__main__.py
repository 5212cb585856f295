from abmcli.cli.app import main

main()
