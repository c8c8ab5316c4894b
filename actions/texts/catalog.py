"""Every fixed English text an action may put into a response, with its Spanish, French and German.

The English text is the key, as a message id is in gettext: the store and the bot service keep writing
English, and only what reaches a customer who writes another language is looked up here.
"""

from __future__ import annotations

from typing import Dict

from bot.store.addresses import MAX_ADDRESS_LENGTH

Translations = Dict[str, Dict[str, str]]

REFUSAL_REASONS: Translations = {
    "The order has already left our warehouse, so it can no longer be cancelled; you can return it once it arrives.": {
        "es": "El pedido ya ha salido de nuestro almacén, así que ya no se puede cancelar; puedes devolverlo cuando llegue.",
        "fr": "La commande a déjà quitté notre entrepôt, elle ne peut donc plus être annulée ; vous pourrez la retourner à son arrivée.",
        "de": "Die Bestellung hat unser Lager schon verlassen und kann nicht mehr storniert werden; Sie können sie nach der Ankunft zurückgeben.",
    },
    "The order has already been delivered; you can return it instead.": {
        "es": "El pedido ya se ha entregado; puedes devolverlo.",
        "fr": "La commande a déjà été livrée ; vous pouvez la retourner.",
        "de": "Die Bestellung wurde schon zugestellt; Sie können sie stattdessen zurückgeben.",
    },
    "The order has already been cancelled.": {
        "es": "El pedido ya está cancelado.",
        "fr": "La commande est déjà annulée.",
        "de": "Die Bestellung ist bereits storniert.",
    },
    "The order has already been returned.": {
        "es": "El pedido ya se ha devuelto.",
        "fr": "La commande a déjà été retournée.",
        "de": "Die Bestellung wurde bereits zurückgegeben.",
    },
    "The parcel is already on its way, so the address can no longer be changed.": {
        "es": "El paquete ya está en camino, así que la dirección ya no se puede cambiar.",
        "fr": "Le colis est déjà en route, l'adresse ne peut donc plus être modifiée.",
        "de": "Das Paket ist schon unterwegs, die Adresse kann nicht mehr geändert werden.",
    },
    "The order has already been delivered.": {
        "es": "El pedido ya se ha entregado.",
        "fr": "La commande a déjà été livrée.",
        "de": "Die Bestellung wurde bereits zugestellt.",
    },
    "The order was cancelled, so there is nothing left to deliver.": {
        "es": "El pedido se canceló, así que no queda nada por entregar.",
        "fr": "La commande a été annulée, il n'y a donc plus rien à livrer.",
        "de": "Die Bestellung wurde storniert, es gibt nichts mehr zu liefern.",
    },
    "The order has been returned, so there is nothing left to deliver.": {
        "es": "El pedido se ha devuelto, así que no queda nada por entregar.",
        "fr": "La commande a été retournée, il n'y a donc plus rien à livrer.",
        "de": "Die Bestellung wurde zurückgegeben, es gibt nichts mehr zu liefern.",
    },
    "The order has not shipped yet; you can cancel it instead.": {
        "es": "El pedido aún no se ha enviado; puedes cancelarlo.",
        "fr": "La commande n'est pas encore expédiée ; vous pouvez l'annuler.",
        "de": "Die Bestellung ist noch nicht verschickt; Sie können sie stattdessen stornieren.",
    },
    "The order is still on its way; you can start a return once it has arrived.": {
        "es": "El pedido todavía está en camino; puedes iniciar una devolución cuando llegue.",
        "fr": "La commande est encore en route ; vous pourrez lancer un retour à son arrivée.",
        "de": "Die Bestellung ist noch unterwegs; Sie können eine Rücksendung starten, sobald sie angekommen ist.",
    },
    "The order was cancelled, so there is nothing to return.": {
        "es": "El pedido se canceló, así que no hay nada que devolver.",
        "fr": "La commande a été annulée, il n'y a donc rien à retourner.",
        "de": "Die Bestellung wurde storniert, es gibt nichts zurückzugeben.",
    },
    "That is not an order number: they look like ORD-123456.": {
        "es": "Eso no es un número de pedido: tienen el formato ORD-123456.",
        "fr": "Ce n'est pas un numéro de commande : ils ressemblent à ORD-123456.",
        "de": "Das ist keine Bestellnummer: Sie sehen aus wie ORD-123456.",
    },
}

ADDRESS_PROBLEMS: Translations = {
    "The address must be text.": {
        "es": "La dirección debe ser texto.",
        "fr": "L'adresse doit être du texte.",
        "de": "Die Adresse muss Text sein.",
    },
    f"That address is longer than {MAX_ADDRESS_LENGTH} characters.": {
        "es": f"Esa dirección tiene más de {MAX_ADDRESS_LENGTH} caracteres.",
        "fr": f"Cette adresse dépasse {MAX_ADDRESS_LENGTH} caractères.",
        "de": f"Diese Adresse ist länger als {MAX_ADDRESS_LENGTH} Zeichen.",
    },
    "The address contains characters that cannot be printed on a label.": {
        "es": "La dirección contiene caracteres que no se pueden imprimir en una etiqueta.",
        "fr": "L'adresse contient des caractères impossibles à imprimer sur une étiquette.",
        "de": "Die Adresse enthält Zeichen, die sich nicht auf ein Etikett drucken lassen.",
    },
    "That address looks too short: please give street, number, postcode and city.": {
        "es": "Esa dirección parece demasiado corta: indica calle, número, código postal y ciudad.",
        "fr": "Cette adresse semble trop courte : indiquez la rue, le numéro, le code postal et la ville.",
        "de": "Diese Adresse scheint zu kurz: Bitte nennen Sie Straße, Hausnummer, Postleitzahl und Ort.",
    },
    "The address needs a house number or postcode.": {
        "es": "La dirección necesita un número o un código postal.",
        "fr": "L'adresse doit comporter un numéro ou un code postal.",
        "de": "Die Adresse braucht eine Hausnummer oder Postleitzahl.",
    },
    "The address needs a street and a city name.": {
        "es": "La dirección necesita una calle y una ciudad.",
        "fr": "L'adresse doit comporter une rue et une ville.",
        "de": "Die Adresse braucht eine Straße und einen Ort.",
    },
}

# Status words as actions write them (`formatting.words`).
STATUS_WORDS: Translations = {
    "pending": {"es": "pendiente", "fr": "en attente", "de": "ausstehend"},
    "processing": {"es": "en preparación", "fr": "en préparation", "de": "in Bearbeitung"},
    "shipped": {"es": "enviado", "fr": "expédiée", "de": "verschickt"},
    "delivered": {"es": "entregado", "fr": "livrée", "de": "zugestellt"},
    "cancelled": {"es": "cancelado", "fr": "annulée", "de": "storniert"},
    "returned": {"es": "devuelto", "fr": "retournée", "de": "zurückgegeben"},
    "label created": {"es": "con etiqueta creada", "fr": "étiquetée", "de": "etikettiert"},
    "in transit": {"es": "en tránsito", "fr": "en transit", "de": "unterwegs"},
    "out for delivery": {"es": "en reparto", "fr": "en cours de livraison", "de": "in der Zustellung"},
    "returned to sender": {
        "es": "devuelto al remitente",
        "fr": "renvoyée à l'expéditeur",
        "de": "an den Absender zurück",
    },
    "requested": {"es": "solicitado", "fr": "demandé", "de": "beantragt"},
    "approved": {"es": "aprobado", "fr": "approuvé", "de": "genehmigt"},
    "paid": {"es": "pagado", "fr": "versé", "de": "ausgezahlt"},
    "rejected": {"es": "rechazado", "fr": "refusé", "de": "abgelehnt"},
}

# What the bot service says about waits and replies when it gives no text of its own, and a payment's detail.
HANDOFF_AND_PAYMENT_WORDS: Translations = {
    "a few minutes": {"es": "unos minutos", "fr": "quelques minutes", "de": "ein paar Minuten"},
    "about a minute": {"es": "un minuto más o menos", "fr": "environ une minute", "de": "etwa eine Minute"},
    "unknown": {"es": "desconocida", "fr": "inconnue", "de": "unbekannt"},
    "within one working day": {
        "es": "en un día hábil",
        "fr": "sous un jour ouvré",
        "de": "innerhalb eines Werktags",
    },
    "declined": {"es": "rechazado", "fr": "refusé", "de": "abgelehnt"},
    "card declined by the issuing bank": {
        "es": "tarjeta rechazada por el banco emisor",
        "fr": "carte refusée par la banque émettrice",
        "de": "Karte von der ausgebenden Bank abgelehnt",
    },
    "insufficient funds": {"es": "saldo insuficiente", "fr": "fonds insuffisants", "de": "unzureichende Deckung"},
    "3-D Secure check not completed": {
        "es": "verificación 3-D Secure no completada",
        "fr": "contrôle 3-D Secure non terminé",
        "de": "3-D-Secure-Prüfung nicht abgeschlossen",
    },
    "card expired": {"es": "tarjeta caducada", "fr": "carte expirée", "de": "Karte abgelaufen"},
}

SENDER_MISMATCH: Translations = {
    "For your security I can only discuss an order by e-mail with the address it was placed with. "
    "Please write to us from that address, or chat with us on our website.": {
        "es": "Por tu seguridad, solo puedo hablar de un pedido por correo con la dirección con la que se hizo. "
        "Escríbenos desde esa dirección o chatea con nosotros en nuestra web.",
        "fr": "Pour votre sécurité, je ne peux parler d'une commande par e-mail qu'avec l'adresse utilisée pour "
        "la passer. Écrivez-nous depuis cette adresse, ou discutez avec nous sur notre site.",
        "de": "Zu Ihrer Sicherheit kann ich per E-Mail nur mit der Adresse über eine Bestellung sprechen, mit der "
        "sie aufgegeben wurde. Bitte schreiben Sie uns von dieser Adresse oder chatten Sie auf unserer Website.",
    },
}

CATALOG: Translations = {
    **REFUSAL_REASONS,
    **ADDRESS_PROBLEMS,
    **STATUS_WORDS,
    **HANDOFF_AND_PAYMENT_WORDS,
    **SENDER_MISMATCH,
}
